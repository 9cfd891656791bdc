// Which documents are checked (the scrubs.languages setting) and when De-identify can run.
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { deidentifiedMessage, deidentifyRefusal, documentSelector } from "../src/documents";

describe("the document selector from scrubs.languages", () => {
  it("checks saved and unsaved Markdown and plain text by default", () => {
    const selection = documentSelector(undefined);
    assert.deepEqual(selection.languages, ["markdown", "plaintext"]);
    assert.deepEqual(selection.selector, [
      { scheme: "file", language: "markdown" },
      { scheme: "untitled", language: "markdown" },
      { scheme: "file", language: "plaintext" },
      { scheme: "untitled", language: "plaintext" },
    ]);
    assert.equal(selection.warning, undefined);
  });

  it("follows the setting, trimmed and without repeats", () => {
    const selection = documentSelector(["latex", " markdown ", "latex"]);
    assert.deepEqual(selection.languages, ["latex", "markdown"]);
    assert.deepEqual(selection.selector, [
      { scheme: "file", language: "latex" },
      { scheme: "untitled", language: "latex" },
      { scheme: "file", language: "markdown" },
      { scheme: "untitled", language: "markdown" },
    ]);
    assert.equal(selection.warning, undefined);
  });

  it("drops entries that are not language names and says which", () => {
    const selection = documentSelector(["markdown", 3, "", null]);
    assert.deepEqual(selection.languages, ["markdown"]);
    assert.equal(selection.selector.length, 2);
    assert.match(selection.warning ?? "", /holds 3, "", null, which are not language names/);
  });

  it("falls back to the default when the setting is not a list", () => {
    const selection = documentSelector("markdown");
    assert.deepEqual(selection.languages, ["markdown", "plaintext"]);
    assert.match(selection.warning ?? "", /should be a list of language names/);
  });

  it("checks nothing, and says so, when the list is empty", () => {
    const selection = documentSelector([]);
    assert.deepEqual(selection.selector, []);
    assert.match(selection.warning ?? "", /lists no languages, so scrubs checks no documents/);
  });
});

describe("when De-identify document can run", () => {
  const markdownOnly = documentSelector(["markdown"]);

  it("runs on a checked document while scrubs is running", () => {
    assert.equal(deidentifyRefusal({ languageId: "markdown", scheme: "file" }, markdownOnly, true), undefined);
    assert.equal(
      deidentifyRefusal({ languageId: "markdown", scheme: "untitled" }, markdownOnly, true),
      undefined,
    );
  });

  it("asks for a document when no editor is open", () => {
    assert.match(deidentifyRefusal(undefined, markdownOnly, true) ?? "", /^Open the document/);
  });

  it("explains that a document in another language is not checked, and how to change that", () => {
    const refusal = deidentifyRefusal({ languageId: "latex", scheme: "file" }, markdownOnly, true);
    assert.match(refusal ?? "", /does not check this document: it is latex/);
    assert.match(refusal ?? "", /Add “latex” to the setting scrubs\.languages/);
  });

  it("does not run on documents outside files and new documents (a diff view, a git version)", () => {
    const refusal = deidentifyRefusal({ languageId: "markdown", scheme: "git" }, markdownOnly, true);
    assert.match(refusal ?? "", /does not check this document/);
  });

  it("says scrubs is not running and how to start it", () => {
    const refusal = deidentifyRefusal({ languageId: "markdown", scheme: "file" }, markdownOnly, false);
    assert.match(refusal ?? "", /scrubs is not running/);
    assert.match(refusal ?? "", /Restart the checker/);
  });
});

describe("after De-identify document", () => {
  it("says how many fixes were applied, from the server's title, and what is left to do", () => {
    assert.equal(
      deidentifiedMessage("De-identify document (3 safe fixes)"),
      "scrubs: Applied 3 safe fixes. Read the result; anything still underlined needs your judgement.",
    );
    assert.match(deidentifiedMessage("De-identify document (1 safe fix)"), /^scrubs: Applied 1 safe fix\./);
    assert.match(deidentifiedMessage("De-identify"), /^scrubs: Applied the safe fixes\./);
  });
});
