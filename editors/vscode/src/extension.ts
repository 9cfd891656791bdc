/**
 * The VS Code side: starts `scrubs lsp` for the documents in `scrubs.languages`, restarts it
 * when the program or the languages change, and offers the restart, log and de-identify
 * commands. Decisions that do not need VS Code live in `locate.ts` and `documents.ts`.
 */
import * as vscode from "vscode";
import {
  CloseAction,
  ErrorAction,
  type ErrorHandler,
  LanguageClient,
  type LanguageClientOptions,
  RevealOutputChannelOn,
  State,
} from "vscode-languageclient/node";

import {
  COMMANDS,
  DEIDENTIFY_KIND,
  EDIT_NOT_APPLIED,
  NOTHING_TO_DEIDENTIFY,
  RESTART_SETTINGS,
  type Selection,
  deidentifiedMessage,
  deidentifyRefusal,
  documentSelector,
} from "./documents";
import {
  INSTALL_URL,
  type Location,
  currentHost,
  locateServer,
  problemMessage,
  serverCommand,
  startFailedMessage,
  startFailureReason,
} from "./locate";

const INSTALL_BUTTON = "Open install instructions";
const SETTINGS_BUTTON = "Open settings";
const LOG_BUTTON = "Show log";
const RESTART_BUTTON = "Restart";

/** The editor's client for the scrubs server. */
class ScrubsClient extends LanguageClient {
  /**
   * The library's own error pop-ups are written for programmers; `Checker` shows its own, in
   * plain words, for every failure the physician needs to know about. Details still go to the log.
   */
  override error(message: string, data?: unknown): void {
    super.error(message, data, false);
  }
}

/** Owns the running client; starts and stops happen one at a time, in the order asked. */
class Checker {
  private client: ScrubsClient | undefined;
  private selection: Selection = documentSelector(undefined);
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly log: vscode.LogOutputChannel) {}

  get running(): boolean {
    return this.client?.state === State.Running;
  }

  get documents(): Selection {
    return this.selection;
  }

  restart(): Promise<void> {
    return this.enqueue(async () => {
      await this.stopClient();
      await this.startClient();
    });
  }

  stop(): Promise<void> {
    return this.enqueue(() => this.stopClient());
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(step).catch((error: unknown) => {
      this.log.error(`Unexpected failure while starting or stopping scrubs: ${String(error)}`);
    });
    return this.queue;
  }

  private async startClient(): Promise<void> {
    const config = vscode.workspace.getConfiguration("scrubs");
    this.selection = documentSelector(config.get("languages"));
    if (this.selection.warning !== undefined) {
      this.log.warn(this.selection.warning);
      void this.offer("warning", this.selection.warning, [SETTINGS_BUTTON]);
    }
    const location = locateServer(config.get<string>("path"), currentHost(), workspaceFolder());
    if (location.kind !== "found") {
      this.reportMissing(location);
      return;
    }
    this.log.info(`Starting ${location.program} lsp (found ${foundWhere(location)}).`);

    const clientOptions: LanguageClientOptions = {
      documentSelector: this.selection.selector,
      // The server reads the `scrubs` section with workspace/configuration; this makes the
      // client tell it when that section changes.
      synchronize: { configurationSection: "scrubs" },
      outputChannel: this.log,
      traceOutputChannel: this.log,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      errorHandler: this.errorHandler(location.program),
      initializationFailedHandler: (error) => {
        this.log.error(`scrubs did not accept the editor's start-up request: ${String(error)}`);
        void this.offer(
          "error",
          startFailedMessage(location.program, "it refused the editor's start-up request"),
          [LOG_BUTTON, RESTART_BUTTON],
        );
        return false;
      },
    };
    const client = new ScrubsClient("scrubs", "scrubs", serverCommand(location.program), clientOptions);
    this.client = client;
    try {
      await client.start();
      this.log.info("scrubs is running.");
    } catch (error) {
      this.log.error(`scrubs did not start: ${String(error)}`);
      void this.offer("error", startFailedMessage(location.program, startFailureReason(error)), [
        LOG_BUTTON,
        RESTART_BUTTON,
      ]);
    }
  }

  private async stopClient(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client === undefined) {
      return;
    }
    try {
      if (client.state !== State.Stopped) {
        await client.stop(2000);
      }
    } catch (error) {
      this.log.warn(`scrubs did not stop cleanly: ${String(error)}`);
    }
    try {
      await client.dispose();
    } catch {
      // Already stopped: nothing is left to release.
    }
  }

  /**
   * Restarts a server that stopped unexpectedly, up to four times in three minutes; after that
   * tells the physician, because their writing is no longer being checked.
   */
  private errorHandler(program: string): ErrorHandler {
    const restarts: number[] = [];
    return {
      error: (_error, _message, count) =>
        count !== undefined && count <= 3
          ? { action: ErrorAction.Continue, handled: true }
          : { action: ErrorAction.Shutdown, handled: true },
      closed: () => {
        const now = Date.now();
        restarts.push(now);
        while (restarts.length > 0 && now - restarts[0] > 3 * 60 * 1000) {
          restarts.shift();
        }
        if (restarts.length <= 4) {
          this.log.warn("scrubs stopped unexpectedly; starting it again.");
          return { action: CloseAction.Restart, handled: true };
        }
        this.log.error("scrubs stopped unexpectedly five times in three minutes; not restarting it.");
        void this.offer(
          "error",
          startFailedMessage(program, "it stopped unexpectedly five times in three minutes"),
          [LOG_BUTTON, RESTART_BUTTON],
        );
        return { action: CloseAction.DoNotRestart, handled: true };
      },
    };
  }

  private reportMissing(problem: Exclude<Location, { kind: "found" }>): void {
    const message = problemMessage(problem, process.platform);
    this.log.error(message);
    if (problem.kind === "not-installed") {
      this.log.info(`Looked for scrubs in: ${problem.searched.join(", ") || "(no folders)"}.`);
    }
    void this.offer("error", message, [INSTALL_BUTTON, SETTINGS_BUTTON]);
  }

  /** Shows a message with buttons and does what the chosen one says. */
  private async offer(level: "error" | "warning", message: string, buttons: string[]): Promise<void> {
    const choice =
      level === "error"
        ? await vscode.window.showErrorMessage(message, ...buttons)
        : await vscode.window.showWarningMessage(message, ...buttons);
    switch (choice) {
      case INSTALL_BUTTON:
        await vscode.env.openExternal(vscode.Uri.parse(INSTALL_URL));
        break;
      case SETTINGS_BUTTON:
        await vscode.commands.executeCommand("workbench.action.openSettings", "scrubs.");
        break;
      case LOG_BUTTON:
        this.log.show(true);
        break;
      case RESTART_BUTTON:
        await this.restart();
        break;
    }
  }
}

function workspaceFolder(): string | undefined {
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === "file");
  return folder?.uri.fsPath;
}

function foundWhere(location: Extract<Location, { kind: "found" }>): string {
  switch (location.from) {
    case "setting":
      return "through the setting scrubs.path";
    case "PATH":
      return "on PATH";
    case "Cargo":
      return "in Cargo's folder of installed programs";
  }
}

let checker: Checker | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = vscode.window.createOutputChannel("scrubs", { log: true });
  const current = new Checker(log);
  checker = current;
  context.subscriptions.push(
    log,
    vscode.commands.registerCommand(COMMANDS.restart, () => current.restart()),
    vscode.commands.registerCommand(COMMANDS.showOutput, () => log.show(true)),
    vscode.commands.registerCommand(COMMANDS.deidentifyDocument, () => deidentify(current)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (RESTART_SETTINGS.some((setting) => event.affectsConfiguration(setting))) {
        log.info("The scrubs program or languages changed; restarting.");
        void current.restart();
      }
    }),
    // A trusted folder may set its own scrubs.path, which was ignored until now.
    vscode.workspace.onDidGrantWorkspaceTrust(() => void current.restart()),
  );
  await current.restart();
}

async function deidentify(current: Checker): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const active = editor && {
    languageId: editor.document.languageId,
    scheme: editor.document.uri.scheme,
  };
  const refusal = deidentifyRefusal(active, current.documents, current.running);
  if (refusal !== undefined) {
    void vscode.window.showInformationMessage(refusal);
    return;
  }
  if (editor === undefined) {
    return; // deidentifyRefusal has said so already
  }
  // Ask the server for its source action, as the editor's Source Action menu would, so that
  // "nothing to fix" can be said in plain words; then apply it as one edit, which can be undone.
  const document = editor.document;
  const whole = new vscode.Range(new vscode.Position(0, 0), document.lineAt(document.lineCount - 1).range.end);
  const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[] | undefined>(
    "vscode.executeCodeActionProvider",
    document.uri,
    whole,
    DEIDENTIFY_KIND,
  );
  const action = actions
    ?.map((candidate) => candidate as vscode.CodeAction)
    .find((candidate) => candidate.kind?.value === DEIDENTIFY_KIND);
  if (action?.edit === undefined) {
    void vscode.window.showInformationMessage(NOTHING_TO_DEIDENTIFY);
    return;
  }
  if (!(await vscode.workspace.applyEdit(action.edit))) {
    void vscode.window.showWarningMessage(EDIT_NOT_APPLIED);
    return;
  }
  vscode.window.setStatusBarMessage(deidentifiedMessage(action.title), 10_000);
}

export async function deactivate(): Promise<void> {
  await checker?.stop();
  checker = undefined;
}
