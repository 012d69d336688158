/**
 * Where the workspace's Django projects are: a folder with a manage.py, at the
 * top of a workspace folder or one level down. Found by file search so that
 * the window needs no setting to show its projects.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';

/** The folders holding a manage.py, sorted, at most 50. */
export async function findWorkspaceProjectRoots(): Promise<string[]> {
  const found = await vscode.workspace.findFiles('{manage.py,*/manage.py}', '**/node_modules/**', 50);
  return [...new Set(found.map((uri) => path.dirname(uri.fsPath)))].sort();
}
