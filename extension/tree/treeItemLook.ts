/**
 * Everything a tree row draws, as one string: two looks that differ mean the row must be redrawn
 * (stableRows.ts). Shared by every tree view of the extension.
 */
import * as vscode from 'vscode';

export function treeItemLook(item: vscode.TreeItem): string {
  const tooltip = item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : item.tooltip;
  return JSON.stringify([
    item.label,
    item.description,
    tooltip,
    item.iconPath,
    item.contextValue,
    item.collapsibleState,
    item.accessibilityInformation,
    item.command?.command,
    item.command?.arguments,
  ]);
}
