// Finding the scrubs program, against real folders and files in a temporary directory.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";

import {
  type Host,
  cargoFolders,
  locateServer,
  pathFolders,
  problemMessage,
  programName,
  serverCommand,
  startFailedMessage,
  startFailureReason,
} from "../src/locate";

let root: string;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "scrubs-locate-"));
});

afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

/** A folder under the temporary root. */
function folder(...parts: string[]): string {
  const dir = path.join(root, ...parts);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** A shell script that prints its arguments, standing in for scrubs. */
function fakeProgram(dir: string, name = "scrubs", mode = 0o755): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, '#!/bin/sh\necho "fake scrubs $*"\n');
  fs.chmodSync(file, mode);
  return file;
}

function posixHost(pathValue: string | undefined, env: Record<string, string> = {}): Host {
  return { platform: "linux", env: { PATH: pathValue, ...env }, home: folder("home") };
}

describe("searching PATH", { skip: process.platform === "win32" && "POSIX file modes" }, () => {
  it("finds the program in a PATH folder, and it runs as `scrubs lsp`", () => {
    const bin = folder("bin");
    const program = fakeProgram(bin);
    const host = posixHost([folder("empty"), bin].join(":"));

    const location = locateServer(undefined, host);

    assert.deepEqual(location, { kind: "found", program, from: "PATH" });
    const { command, args } = serverCommand(program);
    assert.deepEqual(args, ["lsp"]);
    assert.equal(execFileSync(command, args, { encoding: "utf8" }), "fake scrubs lsp\n");
  });

  it("takes the first match in PATH order", () => {
    const first = fakeProgram(folder("first"));
    fakeProgram(folder("second"));
    const host = posixHost([path.dirname(first), path.join(root, "second")].join(":"));
    assert.deepEqual(locateServer(undefined, host), { kind: "found", program: first, from: "PATH" });
  });

  it("skips a file named scrubs that is not executable, and a folder named scrubs", () => {
    fakeProgram(folder("plain"), "scrubs", 0o644);
    folder("dir", "scrubs");
    const real = fakeProgram(folder("real"));
    const host = posixHost(
      [path.join(root, "plain"), path.join(root, "dir"), path.dirname(real)].join(":"),
    );
    assert.deepEqual(locateServer(undefined, host), { kind: "found", program: real, from: "PATH" });
  });

  it("ignores relative PATH entries, which depend on the editor's working folder", () => {
    const work = folder("work");
    fakeProgram(folder("work", "bin"));
    const before = process.cwd();
    process.chdir(work);
    try {
      const host = posixHost("bin:.:");
      assert.deepEqual(pathFolders(host), []);
      assert.equal(locateServer(undefined, host).kind, "not-installed");
    } finally {
      process.chdir(before);
    }
  });

  it("falls back to ~/.cargo/bin when PATH lacks it", () => {
    const host = posixHost(folder("bin"));
    const program = fakeProgram(folder("home", ".cargo", "bin"));
    assert.deepEqual(locateServer(undefined, host), { kind: "found", program, from: "Cargo" });
  });

  it("looks in $CARGO_HOME/bin before ~/.cargo/bin", () => {
    const cargoHome = folder("cargo-home");
    const program = fakeProgram(folder("cargo-home", "bin"));
    fakeProgram(folder("home", ".cargo", "bin"));
    const host = posixHost(undefined, { CARGO_HOME: cargoHome });
    assert.deepEqual(cargoFolders(host), [
      path.join(cargoHome, "bin"),
      path.join(host.home, ".cargo", "bin"),
    ]);
    assert.deepEqual(locateServer(undefined, host), { kind: "found", program, from: "Cargo" });
  });

  it("reports a missing program with every folder it searched, once each", () => {
    const bin = folder("bin");
    const host = posixHost([bin, bin].join(":"));
    const location = locateServer(undefined, host);
    assert.deepEqual(location, {
      kind: "not-installed",
      searched: [bin, path.join(host.home, ".cargo", "bin")],
    });
  });

  it("treats an empty or blank scrubs.path as not set", () => {
    const program = fakeProgram(folder("bin"));
    const host = posixHost(path.dirname(program));
    assert.equal(locateServer("", host).kind, "found");
    assert.deepEqual(locateServer("   ", host), { kind: "found", program, from: "PATH" });
  });
});

describe("the scrubs.path setting", { skip: process.platform === "win32" && "POSIX file modes" }, () => {
  it("is used as it is when it names a program, even if PATH has another", () => {
    const mine = fakeProgram(folder("mine"), "scrubs-dev");
    const onPath = fakeProgram(folder("bin"));
    const host = posixHost(path.dirname(onPath));
    assert.deepEqual(locateServer(mine, host), { kind: "found", program: mine, from: "setting" });
  });

  it("reports a missing file instead of quietly using another scrubs", () => {
    fakeProgram(folder("bin"));
    const host = posixHost(path.join(root, "bin"));
    const wrong = path.join(root, "nowhere", "scrubs");
    assert.deepEqual(locateServer(wrong, host), { kind: "setting-missing", program: wrong });
  });

  it("reports a file that is not executable", () => {
    const plain = fakeProgram(folder("bin"), "scrubs", 0o644);
    assert.deepEqual(locateServer(plain, posixHost(undefined)), {
      kind: "setting-not-program",
      program: plain,
    });
  });

  it("reports a folder", () => {
    const dir = folder("bin");
    assert.deepEqual(locateServer(dir, posixHost(undefined)), { kind: "setting-folder", program: dir });
  });

  it("expands ~ to the home folder", () => {
    const host = posixHost(undefined);
    const program = fakeProgram(folder("home", "tools"));
    assert.deepEqual(locateServer("~/tools/scrubs", host), {
      kind: "found",
      program,
      from: "setting",
    });
  });

  it("resolves a relative path against the open folder, and reports it when none is open", () => {
    const workspace = folder("blog");
    const program = fakeProgram(folder("blog", "tools"));
    const host = posixHost(undefined);
    assert.deepEqual(locateServer("tools/scrubs", host, workspace), {
      kind: "found",
      program,
      from: "setting",
    });
    assert.deepEqual(locateServer("tools/scrubs", host), {
      kind: "setting-relative",
      setting: "tools/scrubs",
    });
  });
});

describe("Windows", () => {
  function windowsHost(env: Record<string, string>): Host {
    return { platform: "win32", env, home: folder("home") };
  }

  it("looks for scrubs.exe, which needs no execute bit", () => {
    assert.equal(programName("win32"), "scrubs.exe");
    const bin = folder("bin");
    fakeProgram(bin, "scrubs", 0o644);
    const exe = fakeProgram(bin, "scrubs.exe", 0o644);
    const host = windowsHost({ Path: `${folder("empty")};${bin}` });
    assert.deepEqual(locateServer(undefined, host), { kind: "found", program: exe, from: "PATH" });
  });

  it("reads Path in any spelling, splits on ; and drops quotes", () => {
    const host = windowsHost({ Path: 'C:\\Tools;"C:\\Program Files\\scrubs";;relative' });
    assert.deepEqual(pathFolders(host), ["C:\\Tools", "C:\\Program Files\\scrubs"]);
    assert.deepEqual(pathFolders(windowsHost({ PATH: "D:\\bin" })), ["D:\\bin"]);
  });

  it("does not take a .cmd script, which cannot start without a shell", () => {
    const bin = folder("bin");
    fakeProgram(bin, "scrubs.cmd", 0o644);
    const host = windowsHost({ Path: bin });
    assert.equal(locateServer(undefined, host).kind, "not-installed");
    assert.equal(locateServer(path.join(bin, "scrubs.cmd"), host).kind, "setting-not-program");
  });

  it("adds .exe to a scrubs.path written without it", () => {
    const exe = fakeProgram(folder("bin"), "scrubs.exe", 0o644);
    const host = windowsHost({});
    assert.deepEqual(locateServer(path.join(root, "bin", "scrubs"), host), {
      kind: "found",
      program: exe,
      from: "setting",
    });
  });
});

describe("messages", () => {
  it("says in plain words that scrubs is not installed and what to do", () => {
    const message = problemMessage({ kind: "not-installed", searched: ["/usr/bin"] }, "linux");
    assert.match(message, /^scrubs is not installed/);
    assert.match(message, /not being checked for patient information/);
    assert.match(message, /scrubs\.path/);
    assert.match(message, /Restart the checker/);
  });

  it("names the file for every problem with the setting", () => {
    for (const kind of ["setting-missing", "setting-folder", "setting-not-program"] as const) {
      for (const platform of ["linux", "win32"] as const) {
        const message = problemMessage({ kind, program: "/opt/scrubs/bin/scrubs" }, platform);
        assert.match(message, /“\/opt\/scrubs\/bin\/scrubs”/, `${kind} on ${platform}`);
        assert.match(message, /scrubs\.path/, `${kind} on ${platform}`);
      }
    }
    assert.match(problemMessage({ kind: "setting-folder", program: "/opt/x" }, "linux"), /\/opt\/x\/scrubs/);
    assert.match(
      problemMessage({ kind: "setting-relative", setting: "tools/scrubs" }, "linux"),
      /“tools\/scrubs”.*full path/,
    );
  });

  it("turns start-up errors into reasons a physician can act on", () => {
    // The client library reports a failed spawn as text ending in Node's error.
    const libraryText =
      "Launching server using command /x/scrubs failed. Error: spawn /x/scrubs EACCES";
    assert.equal(startFailureReason(libraryText), "the computer did not allow it to run");
    assert.equal(
      startFailureReason(Object.assign(new Error("spawn x"), { code: "ENOENT" })),
      "the program file could not be found",
    );
    assert.equal(startFailureReason(new Error("spawn x ENOEXEC")), "the file is not a program this computer can run");
    assert.equal(startFailureReason(new Error("Connection closed")), "it stopped before it was ready");
    const message = startFailedMessage("/x/scrubs", "the computer did not allow it to run");
    assert.match(message, /^scrubs could not start \(the computer did not allow it to run\)/);
    assert.match(message, /“\/x\/scrubs”/);
    assert.match(message, /Show log/);
  });
});
