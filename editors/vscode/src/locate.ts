/**
 * Finding the scrubs program and saying how to start it.
 *
 * This module does not import `vscode`, so the tests run it under plain node against real
 * folders and files. The editor's view of the world (settings, the home folder, PATH) comes in
 * as a `Host`.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** Where a physician learns how to install scrubs. Change it here only. */
export const INSTALL_URL = "https://github.com/scrubs-dev/scrubs#quick-start";

/** What the search depends on, passed in so that tests can describe another computer. */
export interface Host {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  home: string;
}

export function currentHost(): Host {
  return { platform: process.platform, env: process.env, home: os.homedir() };
}

export type Found = {
  kind: "found";
  program: string;
  /** How it was found, for the log. */
  from: "setting" | "PATH" | "Cargo";
};

export type Problem =
  | { kind: "not-installed"; searched: string[] }
  | { kind: "setting-missing"; program: string }
  | { kind: "setting-folder"; program: string }
  | { kind: "setting-not-program"; program: string }
  | { kind: "setting-relative"; setting: string };

export type Location = Found | Problem;

/** The file name `cargo install` gives the program. */
export function programName(platform: NodeJS.Platform): string {
  return platform === "win32" ? "scrubs.exe" : "scrubs";
}

/** The command line that starts the language server: `<program> lsp`, over stdio. */
export function serverCommand(program: string): { command: string; args: string[] } {
  return { command: program, args: ["lsp"] };
}

/**
 * The folders of PATH, in order. Windows spells the variable `Path` and separates folders with
 * `;`, and some folders there are quoted. Relative entries are skipped: they would be resolved
 * against whatever folder the editor happens to run in, which a workspace may control.
 */
export function pathFolders(host: Host): string[] {
  const windows = host.platform === "win32";
  const key = windows
    ? Object.keys(host.env).find((name) => name.toUpperCase() === "PATH")
    : "PATH";
  const value = key === undefined ? undefined : host.env[key];
  if (!value) {
    return [];
  }
  return value
    .split(windows ? ";" : ":")
    .map((entry) => (windows ? entry.trim().replace(/^"(.*)"$/, "$1") : entry))
    .filter((entry) => entry !== "" && isAbsolute(entry, host.platform));
}

/** Where `cargo install` puts programs: `$CARGO_HOME/bin`, else `~/.cargo/bin`. */
export function cargoFolders(host: Host): string[] {
  const folders: string[] = [];
  const cargoHome = host.env["CARGO_HOME"];
  if (cargoHome && isAbsolute(cargoHome, host.platform)) {
    folders.push(path.join(cargoHome, "bin"));
  }
  folders.push(path.join(host.home, ".cargo", "bin"));
  return [...new Set(folders)];
}

type FileKind = "program" | "missing" | "folder" | "not-program";

/** Whether `file` is something the editor can start as a program. */
export function inspect(file: string, platform: NodeJS.Platform): FileKind {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return "missing";
  }
  if (stat.isDirectory()) {
    return "folder";
  }
  if (!stat.isFile()) {
    return "not-program";
  }
  if (platform === "win32") {
    // Windows has no execute bit. A .cmd or .bat script cannot be started without a shell,
    // which would reinterpret the arguments, so only real programs count.
    return /\.(exe|com)$/i.test(file) ? "program" : "not-program";
  }
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return "program";
  } catch {
    return "not-program";
  }
}

/**
 * Where the scrubs program is. `configured` is the `scrubs.path` setting: when set it is the
 * only place looked at (a wrong setting is reported rather than quietly replaced by another
 * scrubs); otherwise PATH is searched, then Cargo's folder of installed programs, which an
 * editor started from the desktop often lacks on its PATH.
 */
export function locateServer(
  configured: string | undefined,
  host: Host,
  workspaceFolder?: string,
): Location {
  const setting = configured?.trim() ?? "";
  if (setting !== "") {
    return checkSetting(setting, host, workspaceFolder);
  }
  const name = programName(host.platform);
  const searched: string[] = [];
  const places: [string[], Found["from"]][] = [
    [pathFolders(host), "PATH"],
    [cargoFolders(host), "Cargo"],
  ];
  for (const [folders, from] of places) {
    for (const folder of folders) {
      if (searched.includes(folder)) {
        continue;
      }
      searched.push(folder);
      const candidate = path.join(folder, name);
      if (inspect(candidate, host.platform) === "program") {
        return { kind: "found", program: candidate, from };
      }
    }
  }
  return { kind: "not-installed", searched };
}

function checkSetting(setting: string, host: Host, workspaceFolder?: string): Location {
  let program = expandHome(setting, host);
  if (!isAbsolute(program, host.platform)) {
    if (workspaceFolder === undefined) {
      return { kind: "setting-relative", setting };
    }
    program = path.resolve(workspaceFolder, program);
  }
  let kind = inspect(program, host.platform);
  if (kind === "missing" && host.platform === "win32" && path.extname(program) === "") {
    const withExe = `${program}.exe`;
    if (inspect(withExe, host.platform) === "program") {
      program = withExe;
      kind = "program";
    }
  }
  switch (kind) {
    case "program":
      return { kind: "found", program, from: "setting" };
    case "missing":
      return { kind: "setting-missing", program };
    case "folder":
      return { kind: "setting-folder", program };
    case "not-program":
      return { kind: "setting-not-program", program };
  }
}

function expandHome(setting: string, host: Host): string {
  if (setting === "~") {
    return host.home;
  }
  if (setting.startsWith("~/") || (host.platform === "win32" && setting.startsWith("~\\"))) {
    return path.join(host.home, setting.slice(2));
  }
  return setting;
}

function isAbsolute(file: string, platform: NodeJS.Platform): boolean {
  return platform === "win32" ? path.win32.isAbsolute(file) : path.posix.isAbsolute(file);
}

/** What to tell the physician when scrubs cannot be started, in plain words. */
export function problemMessage(problem: Problem, platform: NodeJS.Platform): string {
  const notChecked = "so your writing is not being checked for patient information";
  switch (problem.kind) {
    case "not-installed":
      return (
        `scrubs is not installed (or not where the editor can find it), ${notChecked}. ` +
        "Install it with the instructions, then run “scrubs: Restart the checker”; " +
        "if it is installed somewhere else, set scrubs.path to the program."
      );
    case "setting-missing":
      return (
        `The setting scrubs.path points to “${problem.program}”, but there is no file there, ` +
        `${notChecked}. Correct the setting, or clear it to use the scrubs that is installed.`
      );
    case "setting-folder":
      return (
        `The setting scrubs.path points to the folder “${problem.program}”, not to the scrubs ` +
        `program, ${notChecked}. Point it at the program inside, for example ` +
        `“${path.join(problem.program, programName(platform))}”.`
      );
    case "setting-not-program":
      return platform === "win32"
        ? `The setting scrubs.path points to “${problem.program}”, which is not a program ` +
            `(an .exe file), ${notChecked}. Point it at scrubs.exe.`
        : `The setting scrubs.path points to “${problem.program}”, which this computer cannot ` +
            `run as a program (it is not marked executable), ${notChecked}. Point it at the ` +
            `scrubs program, or make the file executable with “chmod +x”.`;
    case "setting-relative":
      return (
        `The setting scrubs.path is “${problem.setting}”, a path relative to the open folder, ` +
        `but no folder is open, ${notChecked}. Use the full path to the program.`
      );
  }
}

/** The message when the program was found but would not start or stopped at once. */
export function startFailedMessage(program: string, reason: string): string {
  return (
    `scrubs could not start (${reason}), so your writing is not being checked for patient ` +
    `information. The program is “${program}”. The log (“scrubs: Show log”) has the details; ` +
    "check that this is the scrubs program and that it runs, then use “scrubs: Restart the checker”."
  );
}

/**
 * Why starting the program failed, in plain words, from what Node reported (an error object
 * or the client library's text, which carries the same error code).
 */
export function startFailureReason(error: unknown): string {
  const code =
    typeof error === "object" && error !== null && "code" in error ? String(error.code) : "";
  const text = `${code} ${String(error)}`;
  if (/\b(EACCES|EPERM)\b/.test(text)) {
    return "the computer did not allow it to run";
  }
  if (/\bENOENT\b/.test(text)) {
    return "the program file could not be found";
  }
  if (/\b(ENOEXEC|EFTYPE|UNKNOWN)\b/.test(text)) {
    return "the file is not a program this computer can run";
  }
  return "it stopped before it was ready";
}
