// The smallest VS Code client of `policyc lsp`: it starts the server on
// stdio for plain-text and Markdown files and lets vscode-languageclient do
// the rest (diagnostics, quick fixes, formatting, outline, go to
// definition, references, hover). Package it with `npx @vscode/vsce
// package` after `npm install` in this folder.
"use strict";
const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration("policyc").get("path") || "policyc";
  const server = { command, args: ["lsp"], transport: TransportKind.stdio };
  client = new LanguageClient(
    "policyc",
    "policyc",
    { run: server, debug: server },
    {
      documentSelector: [
        { scheme: "file", language: "plaintext" },
        { scheme: "file", language: "markdown" },
        { scheme: "untitled", language: "plaintext" },
      ],
    },
  );
  // "Renumber from here" at the cursor, for a key binding (the client
  // registers the server's own `policyc.renumberFromHere`, which takes the
  // position as its argument); the server answers with a
  // workspace/applyEdit that the client applies.
  context.subscriptions.push(
    vscode.commands.registerCommand("policyc.renumberAtCursor", () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor || !client) return;
      const position = editor.selection.active;
      return client.sendRequest("workspace/executeCommand", {
        command: "policyc.renumberFromHere",
        arguments: [{ textDocument: { uri: editor.document.uri.toString() }, position: { line: position.line, character: position.character } }],
      });
    }),
  );
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
