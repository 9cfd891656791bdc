// package.json agrees with the code, with the server's rules (one page per rule in docs/rules)
// and with the versions of VS Code the client library supports.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";

import { COMMANDS, DEFAULT_LANGUAGES, RESTART_SETTINGS } from "../src/documents";
import { INSTALL_URL } from "../src/locate";

// Compiled tests live in out/test/.
const extensionRoot = path.resolve(__dirname, "..", "..");
const repoRoot = path.resolve(extensionRoot, "..", "..");

interface Property {
  type: string;
  default?: unknown;
  enum?: string[];
  enumDescriptions?: string[];
  markdownDescription?: string;
  minimum?: number;
  scope?: string;
  properties?: Record<string, Property>;
  additionalProperties?: boolean;
  items?: { type: string };
}

interface Manifest {
  main: string;
  engines: { vscode: string };
  activationEvents: string[];
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  capabilities: {
    untrustedWorkspaces: { supported: string | boolean; restrictedConfigurations?: string[] };
  };
  contributes: {
    commands: { command: string; title: string; category: string }[];
    configuration: { properties: Record<string, Property> };
  };
}

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, "utf8")) as T;
}

const manifest = readJson<Manifest>(path.join(extensionRoot, "package.json"));
const settings = manifest.contributes.configuration.properties;

function setting(key: string): Property {
  const property = settings[key];
  assert.ok(property, `package.json has no setting ${key}`);
  return property;
}

/** The lowest version a range like `^1.91.0` allows, as numbers. */
function lowest(range: string): number[] {
  const match = /(\d+)\.(\d+)\.(\d+)/.exec(range);
  assert.ok(match, `not a version range: ${range}`);
  return match.slice(1).map(Number);
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) {
    if (a[i] !== b[i]) {
      return a[i] - b[i];
    }
  }
  return 0;
}

describe("package.json", () => {
  it("contributes exactly the commands the extension registers, with their titles", () => {
    const titles = Object.fromEntries(
      manifest.contributes.commands.map((c) => [c.command, `${c.category}: ${c.title}`]),
    );
    assert.deepEqual(titles, {
      [COMMANDS.restart]: "scrubs: Restart the checker",
      [COMMANDS.showOutput]: "scrubs: Show log",
      [COMMANDS.deidentifyDocument]: "scrubs: De-identify document",
    });
  });

  it("lists a level setting for every rule the server has, and no other", () => {
    const pages = fs
      .readdirSync(path.join(repoRoot, "docs", "rules"))
      .filter((file) => file !== "README.md" && file.endsWith(".md"))
      .map((file) => file.replace(/\.md$/, "").replace("-", "/"))
      .sort();
    const rules = setting("scrubs.rules");
    assert.equal(rules.type, "object");
    assert.equal(rules.additionalProperties, false);
    assert.deepEqual(Object.keys(rules.properties ?? {}).sort(), pages);
    assert.equal(pages.length, 19);
    for (const [code, rule] of Object.entries(rules.properties ?? {})) {
      assert.deepEqual(rule.enum, ["error", "warning", "info", "hint", "off"], code);
      assert.equal(rule.enumDescriptions?.length, 5, code);
      assert.match(rule.markdownDescription ?? "", /^.{20,}\n\nDefault: [^\n]+\.$/s, code);
    }
  });

  it("has the server's settings with their defaults, and says what overrides them", () => {
    assert.deepEqual(setting("scrubs.allow").default, []);
    assert.equal(setting("scrubs.allow").items?.type, "string");
    assert.equal(setting("scrubs.fix.names").default, "placeholder");
    assert.deepEqual(setting("scrubs.fix.names").enum, ["placeholder", "patient", "initials", "pseudonym"]);
    assert.deepEqual(setting("scrubs.files.extensions").default, ["md", "markdown", "txt"]);
    assert.equal(setting("scrubs.debounceMs").type, "integer");
    assert.equal(setting("scrubs.debounceMs").default, 30);
    assert.equal(setting("scrubs.debounceMs").minimum, 0);
    for (const key of ["scrubs.rules", "scrubs.fix.names"]) {
      assert.match(setting(key).markdownDescription ?? "", /scrubs\.toml.*overrides/, key);
    }
    assert.match(setting("scrubs.allow").markdownDescription ?? "", /scrubs\.toml.*both lists count/);
  });

  it("has the client's settings, with the languages default the code uses", () => {
    assert.deepEqual(setting("scrubs.languages").default, DEFAULT_LANGUAGES);
    assert.equal(setting("scrubs.path").type, "string");
    assert.deepEqual(setting("scrubs.trace.server").enum, ["off", "messages", "verbose"]);
    assert.equal(setting("scrubs.trace.server").default, "off");
    for (const key of RESTART_SETTINGS) {
      assert.match(setting(key).markdownDescription ?? "", /restarts the checker/, key);
    }
  });

  it("has a description for every setting", () => {
    for (const [key, property] of Object.entries(settings)) {
      assert.ok((property.markdownDescription ?? "").length > 40, key);
    }
  });

  it("activates on Markdown and plain text", () => {
    assert.deepEqual(manifest.activationEvents, ["onLanguage:markdown", "onLanguage:plaintext"]);
  });

  it("ignores a folder's own scrubs.path until the folder is trusted", () => {
    const untrusted = manifest.capabilities.untrustedWorkspaces;
    assert.equal(untrusted.supported, "limited");
    assert.deepEqual(untrusted.restrictedConfigurations, ["scrubs.path"]);
  });

  it("points main at the compiled extension", () => {
    assert.ok(fs.existsSync(path.join(extensionRoot, manifest.main)), manifest.main);
  });

  it("claims a VS Code version the client library and the API types allow", () => {
    const engine = lowest(manifest.engines.vscode);
    const client = readJson<{ engines: { vscode: string } }>(
      path.join(extensionRoot, "node_modules", "vscode-languageclient", "package.json"),
    );
    assert.ok(compare(engine, lowest(client.engines.vscode)) >= 0, "older than the client supports");
    // vsce refuses a package whose @types/vscode is newer than the VS Code it claims.
    assert.ok(compare(lowest(manifest.devDependencies["@types/vscode"]), engine) <= 0);
    assert.deepEqual(Object.keys(manifest.dependencies), ["vscode-languageclient"]);
  });

  it("links the install instructions from its README", () => {
    const readme = fs.readFileSync(path.join(extensionRoot, "README.md"), "utf8");
    assert.ok(readme.includes(INSTALL_URL), "README.md does not link the install instructions");
  });
});
