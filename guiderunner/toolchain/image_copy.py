"""Copy an image from the main engine to another: `docker save | docker load`, no registry.

The stand-in .NET images are built on this machine and cannot be pulled, so another engine
gets them this way. An image whose id the other engine already holds is not copied again.
"""

from __future__ import annotations

import subprocess

from guiderunner.toolchain import proc
from guiderunner.toolchain.errors import ToolchainError


def copy_image(image: str, docker_host: str, timeout: float) -> bool:
    """`docker save | docker load` from the main engine, unless it holds that image id already."""
    wanted = _image_id(image, None)
    if wanted is None:
        raise ToolchainError(f"the main engine has no {image}: run `runner toolchain up` first")
    if _image_id(image, docker_host) == wanted:
        return False
    save = subprocess.Popen(
        ["docker", "save", image], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    try:
        load = subprocess.run(
            ["docker", "--host", docker_host, "load", "--quiet"],
            stdin=save.stdout,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ToolchainError(f"copying {image} took more than {timeout:.0f}s") from None
    finally:
        if save.stdout is not None:
            save.stdout.close()
        _finish(save)
    if load.returncode != 0 or save.returncode != 0:
        raise ToolchainError(f"could not copy {image}: {proc.tail(load.stderr or load.stdout)}")
    return True


def _image_id(image: str, docker_host: str | None) -> str | None:
    done = _docker(docker_host, ["image", "inspect", "--format", "{{.Id}}", image], check=False)
    return done.stdout.strip() or None if done.returncode == 0 else None


def _docker(
    docker_host: str | None, args: list[str], *, check: bool = True
) -> subprocess.CompletedProcess[str]:
    host = ["--host", docker_host] if docker_host is not None else []
    return proc.run(["docker", *host, *args], timeout=30, check=check)


def _finish(child: subprocess.Popen[bytes]) -> None:
    try:
        child.wait(timeout=10)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait(timeout=10)
