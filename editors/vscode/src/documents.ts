/**
 * Which documents scrubs checks, and the names the extension shares with its package.json.
 *
 * Like `locate.ts`, this module does not import `vscode`, so the tests run it under plain node.
 */

/** The commands the extension contributes (package.json lists the same ids). */
export const COMMANDS = {
  restart: "scrubs.restart",
  showOutput: "scrubs.showOutput",
  deidentifyDocument: "scrubs.deidentifyDocument",
} as const;

/** The kind of the server's "De-identify document" source action. */
export const DEIDENTIFY_KIND = "source.fixAll.scrubs";

/** Saved files and new, not yet saved ones. */
export const SCHEMES = ["file", "untitled"] as const;

export const DEFAULT_LANGUAGES: readonly string[] = ["markdown", "plaintext"];

/** Settings read by the extension itself; changing one restarts the checker. */
export const RESTART_SETTINGS = ["scrubs.path", "scrubs.languages"] as const;

export interface DocumentFilter {
  scheme: (typeof SCHEMES)[number];
  language: string;
}

export interface Selection {
  languages: string[];
  selector: DocumentFilter[];
  /** Something wrong with the setting, to show the user; the selection is still usable. */
  warning?: string;
}

/**
 * The documents to check, from the `scrubs.languages` setting: each language, in saved and
 * unsaved documents. A setting that is not a list falls back to the default; entries that are
 * not language names are dropped; both are reported.
 */
export function documentSelector(setting: unknown): Selection {
  if (setting === undefined || setting === null) {
    return select([...DEFAULT_LANGUAGES]);
  }
  if (!Array.isArray(setting)) {
    return select(
      [...DEFAULT_LANGUAGES],
      "The setting scrubs.languages should be a list of language names, such as " +
        `${JSON.stringify(DEFAULT_LANGUAGES)}. scrubs checks those until the setting is corrected.`,
    );
  }
  const languages: string[] = [];
  const ignored: string[] = [];
  for (const entry of setting as unknown[]) {
    const language = typeof entry === "string" ? entry.trim() : "";
    if (language === "") {
      ignored.push(JSON.stringify(entry) ?? String(entry));
    } else if (!languages.includes(language)) {
      languages.push(language);
    }
  }
  let warning: string | undefined;
  if (ignored.length > 0) {
    warning =
      `The setting scrubs.languages holds ${ignored.join(", ")}, which ` +
      `${ignored.length === 1 ? "is not a language name" : "are not language names"}; ` +
      'scrubs skips it. Write language names in quotes, such as "markdown".';
  }
  if (languages.length === 0) {
    warning =
      "The setting scrubs.languages lists no languages, so scrubs checks no documents. " +
      'Add the languages you write in, such as "markdown" and "plaintext".';
  }
  return select(languages, warning);
}

function select(languages: string[], warning?: string): Selection {
  const selector = languages.flatMap((language) =>
    SCHEMES.map((scheme) => ({ scheme, language })),
  );
  return warning === undefined ? { languages, selector } : { languages, selector, warning };
}

/** The document in the active editor, as far as the de-identify command cares. */
export interface ActiveDocument {
  languageId: string;
  scheme: string;
}

/**
 * Why "De-identify document" cannot run on `document`, in plain words, or `undefined` when it
 * can.
 */
export function deidentifyRefusal(
  document: ActiveDocument | undefined,
  selection: Selection,
  running: boolean,
): string | undefined {
  if (document === undefined) {
    return "Open the document you want to de-identify, then run “scrubs: De-identify document” again.";
  }
  const checked = selection.selector.some(
    (filter) => filter.scheme === document.scheme && filter.language === document.languageId,
  );
  if (!checked) {
    const languages = selection.languages.length > 0 ? selection.languages.join(", ") : "none";
    return (
      `scrubs does not check this document: it is ${document.languageId} ` +
      `(${document.scheme}), and scrubs checks saved and new documents in these languages: ` +
      `${languages}. Add “${document.languageId}” to the setting scrubs.languages to check it.`
    );
  }
  if (!running) {
    return (
      "scrubs is not running, so it cannot de-identify this document. Run “scrubs: Restart " +
      "the checker”; if it still does not start, “scrubs: Show log” says why."
    );
  }
  return undefined;
}

/** When the server has no safe fix for the document. */
export const NOTHING_TO_DEIDENTIFY =
  "scrubs found nothing in this document that it can de-identify by itself. Anything still " +
  "underlined needs your judgement: hover over it to see the fixes on offer.";

/** When VS Code refused the edit, usually because the document changed in the meantime. */
export const EDIT_NOT_APPLIED =
  "The document was not changed: it changed while scrubs was working out the fixes. Run " +
  "“scrubs: De-identify document” again.";

/** Shown after De-identify document, with the server's title ("De-identify document (3 safe fixes)"). */
export function deidentifiedMessage(actionTitle: string): string {
  const count = /\((\d+) safe fix(?:es)?\)/.exec(actionTitle)?.[1];
  const what = count === undefined ? "Applied the safe fixes" : `Applied ${count} safe fix${count === "1" ? "" : "es"}`;
  return `scrubs: ${what}. Read the result; anything still underlined needs your judgement.`;
}
