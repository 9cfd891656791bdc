// End to end: the program the extension finds, started with the command line it builds, checks
// a document and offers "De-identify document" under the kind the extension's command asks for.
// It runs the real scrubs (SCRUBS_BIN, else the repository's target/debug or target/release);
// when none is built it is skipped with the reason, not passed, and under CI=true it fails.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, it } from "node:test";

import { DEIDENTIFY_KIND, deidentifiedMessage } from "../src/documents";
import { type Host, currentHost, locateServer, serverCommand } from "../src/locate";
import { Connection, type TextEdit, applyEdits } from "./lsp";

const extensionRoot = path.resolve(__dirname, "..", "..");
const repoRoot = path.resolve(extensionRoot, "..", "..");

/** The scrubs to test, found the way the extension finds it. */
function findScrubs(): string | undefined {
  const explicit = process.env["SCRUBS_BIN"];
  if (explicit) {
    const location = locateServer(explicit, currentHost());
    assert.equal(location.kind, "found", `SCRUBS_BIN=${explicit} is not a program`);
    return location.kind === "found" ? location.program : undefined;
  }
  const builds = ["debug", "release"].map((profile) => path.join(repoRoot, "target", profile));
  const host: Host = { ...currentHost(), env: { PATH: builds.join(path.delimiter) } };
  const location = locateServer(undefined, host);
  return location.kind === "found" && location.from === "PATH" ? location.program : undefined;
}

/** What VS Code answers for `section` when every scrubs setting has its package.json default. */
function defaultSettings(section: string): unknown {
  const manifest = JSON.parse(fs.readFileSync(path.join(extensionRoot, "package.json"), "utf8")) as {
    contributes: { configuration: { properties: Record<string, { default?: unknown }> } };
  };
  // VS Code nests dotted keys: scrubs.fix.names is { scrubs: { fix: { names } } }.
  const tree: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(manifest.contributes.configuration.properties)) {
    const parts = key.split(".");
    let node = tree;
    for (const part of parts.slice(0, -1)) {
      node = (node[part] ??= {}) as Record<string, unknown>;
    }
    node[parts[parts.length - 1]] = property.default;
  }
  let node: unknown = tree;
  for (const part of section.split(".")) {
    node = (node as Record<string, unknown> | undefined)?.[part];
  }
  return node ?? null;
}

const program = findScrubs();
// CI builds scrubs before this test (`cargo test`), so there a missing build is a mistake.
const required = process.env["CI"] === "true";

describe("the real scrubs server", () => {
  it(
    "checks a document and de-identifies it under the kind the extension asks for",
    {
      skip: program === undefined && !required && "scrubs is not built: run `cargo build` or set SCRUBS_BIN",
      timeout: 120_000,
    },
    async () => {
      assert.ok(program !== undefined, "scrubs is not built: run `cargo build` before this test, or set SCRUBS_BIN");
      const folder = fs.mkdtempSync(path.join(os.tmpdir(), "scrubs-e2e-"));
      const { command, args } = serverCommand(program);
      const child = spawn(command, args, { cwd: folder, stdio: ["pipe", "pipe", "pipe"] });
      const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
      const connection = new Connection(child, (method, params) => {
        if (method === "workspace/configuration") {
          const { items } = params as { items: { section?: string }[] };
          return items.map((item) => defaultSettings(item.section ?? ""));
        }
        return null;
      });
      try {
        const folderUri = pathToFileURL(folder).href;
        const initialized = (await connection.request("initialize", {
          processId: process.pid,
          rootUri: folderUri,
          workspaceFolders: [{ uri: folderUri, name: "blog" }],
          capabilities: {
            general: { positionEncodings: ["utf-16"] },
            workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
            textDocument: {
              publishDiagnostics: { relatedInformation: true },
              codeAction: {
                codeActionLiteralSupport: {
                  codeActionKind: { valueSet: ["quickfix", "refactor", "source", DEIDENTIFY_KIND] },
                },
              },
            },
          },
        })) as { capabilities: { codeActionProvider?: { codeActionKinds?: string[] } } };
        assert.ok(
          initialized.capabilities.codeActionProvider?.codeActionKinds?.includes(DEIDENTIFY_KIND),
          `the server does not offer ${DEIDENTIFY_KIND}`,
        );
        connection.notify("initialized", {});
        // What vscode-languageclient sends for synchronize.configurationSection "scrubs".
        connection.notify("workspace/didChangeConfiguration", {
          settings: { scrubs: defaultSettings("scrubs") },
        });

        const uri = pathToFileURL(path.join(folder, "case.md")).href;
        const text = "A 67-year-old man was seen on March 3, 2024 with chest pain.\n";
        connection.notify("textDocument/didOpen", {
          textDocument: { uri, languageId: "markdown", version: 1, text },
        });
        const published = (await connection.waitFor("textDocument/publishDiagnostics", (p) => {
          const params = p as { uri: string; diagnostics: unknown[] };
          return params.uri === uri && params.diagnostics.length > 0;
        })) as { diagnostics: { code?: string; source?: string; range: TextEdit["range"] }[] };
        const date = published.diagnostics.find((d) => d.code === "phi/date");
        assert.ok(date, `no phi/date diagnostic among ${published.diagnostics.map((d) => d.code).join(", ")}`);
        assert.equal(date.source, "scrubs");
        assert.deepEqual(date.range, {
          start: { line: 0, character: 30 },
          end: { line: 0, character: 43 },
        });

        // editor.action.sourceAction { kind, apply: "first" } asks with `only: [kind]`.
        const actions = (await connection.request("textDocument/codeAction", {
          textDocument: { uri },
          range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } },
          context: { diagnostics: [], only: [DEIDENTIFY_KIND], triggerKind: 1 },
        })) as { title: string; kind?: string; edit?: { changes?: Record<string, TextEdit[]> } }[];
        assert.equal(actions.length, 1, "one De-identify document action");
        assert.equal(actions[0].kind, DEIDENTIFY_KIND);
        // The extension reads the number of fixes from the title.
        assert.match(deidentifiedMessage(actions[0].title), /^scrubs: Applied \d+ safe fix/);
        const edits = actions[0].edit?.changes?.[uri];
        assert.ok(edits && edits.length > 0, "De-identify document carries its edits");
        const fixed = applyEdits(text, edits);
        assert.ok(!fixed.includes("March"), "the date is gone");
        assert.ok(!fixed.includes("67"), "the exact age is gone");
        assert.match(fixed, /2024/, "the year is kept");
        assert.match(fixed, /chest pain\.\n$/, "the rest is untouched");

        await connection.request("shutdown", null);
        connection.notify("exit", null);
        assert.equal(await exited, 0, `scrubs exited with an error; its log:\n${stderr}`);
      } finally {
        if (child.exitCode === null) {
          child.kill();
        }
        fs.rmSync(folder, { recursive: true, force: true });
      }
    },
  );
});
