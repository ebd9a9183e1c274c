"""A network namespace of our own, wired to the host by a veth pair and NAT.

A second Docker engine lives in it so that its published ports are its own: two engines can
both publish 127.0.0.1:8080, each on its own loopback. Only the network namespace is entered
(`nsenter --net=`): `ip netns exec` also makes a mount namespace and remounts /sys, which hides
the cgroup mounts that dockerd needs ("Devices cgroup isn't mounted").

The host side is three iptables rules, each tagged with a comment naming the namespace, so that
`remove` deletes exactly ours: accept forwarding from and back to our veth (Docker's FORWARD
policy is DROP) and masquerade what leaves the host from our /30. Every step is undone by
`remove`, which works from the names alone, so a killed run can be cleaned up by another.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from guiderunner.toolchain import proc
from guiderunner.toolchain.errors import ToolchainError

NETNS_DIR = Path("/run/netns")
IP_FORWARD = Path("/proc/sys/net/ipv4/ip_forward")
TIMEOUT = 20.0
PREFIX = "10.231"
"""The veth pairs take 10.231.N.0/30, N = the namespace's number."""


@dataclass(frozen=True, slots=True)
class Netns:
    """The names and addresses of one namespace, all derived from a short name and a number."""

    name: str
    """Short (at most 8 characters): it names the veth ends, limited to 15 by the kernel."""
    number: int
    """1..254: picks the veth subnet 10.231.N.0/30, which must be free on the host."""

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z][a-z0-9]{0,7}", self.name):
            raise ToolchainError(f"namespace name {self.name!r}: 1-8 lowercase letters/digits", 2)
        if not 1 <= self.number <= 254:
            raise ToolchainError(f"namespace number {self.number}: between 1 and 254", 2)

    @property
    def netns(self) -> str:
        """The name under /run/netns."""
        return f"stockkube-{self.name}"

    @property
    def path(self) -> Path:
        """What `nsenter --net=` takes."""
        return NETNS_DIR / self.netns

    @property
    def host_veth(self) -> str:
        """The host's end of the pair."""
        return f"{self.name}-h"

    @property
    def inner_veth(self) -> str:
        """The namespace's end of the pair."""
        return f"{self.name}-n"

    @property
    def host_address(self) -> str:
        """The host's end: the namespace's default gateway."""
        return f"{PREFIX}.{self.number}.1"

    @property
    def inner_address(self) -> str:
        """The namespace's end."""
        return f"{PREFIX}.{self.number}.2"

    @property
    def subnet(self) -> str:
        """The pair's /30."""
        return f"{PREFIX}.{self.number}.0/30"

    @property
    def comment(self) -> str:
        """Tags our iptables rules."""
        return f"stockkube {self.netns}"

    def enter(self) -> list[str]:
        """The argv prefix that runs a command in the namespace (network only)."""
        return ["nsenter", f"--net={self.path}", "--"]


def rules(ns: Netns) -> list[tuple[str, list[str]]]:
    """(table, chain and rule) of our iptables rules; forwarding first, before Docker's."""
    tag = ["-m", "comment", "--comment", ns.comment]
    back = ["-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED"]
    return [
        ("filter", ["FORWARD", "-i", ns.host_veth, *tag, "-j", "ACCEPT"]),
        ("filter", ["FORWARD", "-o", ns.host_veth, *back, *tag, "-j", "ACCEPT"]),
        (
            "nat",
            ["POSTROUTING", "-s", ns.subnet, "!", "-o", ns.host_veth, *tag, "-j", "MASQUERADE"],
        ),
    ]


def used_numbers() -> set[int]:
    """The N of every 10.231.N.x address on the host."""
    shown = proc.run(["ip", "-o", "-4", "addr", "show"], timeout=TIMEOUT, env=_env()).stdout
    return {int(n) for n in re.findall(r"inet 10\.231\.(\d+)\.", shown)}


def free_number() -> int:
    """A number whose 10.231.N.0/30 is not on the host yet."""
    used = used_numbers()
    for number in range(1, 255):
        if number not in used:
            return number
    raise ToolchainError("no free 10.231.N.0/30 left for a network namespace")


def create(ns: Netns) -> None:
    """Namespace, veth pair, addresses, routes, NAT. On any failure, `remove` undoes it all."""
    if ns.path.exists():
        raise ToolchainError(f"network namespace {ns.netns} exists already: run `down` first")
    if ns.number in used_numbers():
        raise ToolchainError(f"{ns.subnet} is already used on this host: pick another number")
    try:
        _ip("netns", "add", ns.netns)
        _ip("link", "add", ns.host_veth, "type", "veth", "peer", "name", ns.inner_veth)
        _ip("link", "set", ns.inner_veth, "netns", ns.netns)
        _ip("addr", "add", f"{ns.host_address}/30", "dev", ns.host_veth)
        _ip("link", "set", ns.host_veth, "up")
        inside = ["-n", ns.netns]
        _ip(*inside, "link", "set", "lo", "up")
        _ip(*inside, "addr", "add", f"{ns.inner_address}/30", "dev", ns.inner_veth)
        _ip(*inside, "link", "set", ns.inner_veth, "up")
        _ip(*inside, "route", "add", "default", "via", ns.host_address)
        _forwarding_on()
        for table, rule in rules(ns):
            where = ["-I", rule[0], "1"] if table == "filter" else ["-A", rule[0]]
            _iptables("-t", table, *where, *rule[1:])
    except ToolchainError:
        remove(ns)
        raise


def remove(ns: Netns) -> list[str]:
    """Undo `create`, whatever part of it was done; one line per thing removed."""
    done = []
    for table, rule in rules(ns):
        while _iptables("-t", table, "-C", *rule, check=False).returncode == 0:
            _iptables("-t", table, "-D", *rule)
            done.append(f"removed iptables rule ({table} {rule[0]})")
    if Path(f"/sys/class/net/{ns.host_veth}").exists():
        _ip("link", "delete", ns.host_veth)
        done.append(f"removed veth {ns.host_veth}")
    if ns.path.exists():
        _ip("netns", "delete", ns.netns)
        done.append(f"removed network namespace {ns.netns}")
    return done


def _forwarding_on() -> None:
    """The host must route for the namespace; Docker turns this on already, so we only check."""
    if IP_FORWARD.read_text().strip() != "1":
        raise ToolchainError(
            "IPv4 forwarding is off on this host (net.ipv4.ip_forward=0), so the second engine's "
            "containers could not reach the network: start the main engine first"
        )


def _ip(*args: str) -> None:
    proc.run(["ip", *args], timeout=TIMEOUT, env=_env())


def _iptables(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return proc.run(["iptables", "-w", "5", *args], timeout=TIMEOUT, check=check, env=_env())


def _env() -> dict[str, str]:
    return proc.daemon_env()
