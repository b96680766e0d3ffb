import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { yaml } from '@codemirror/lang-yaml';
import { bracketMatching, HighlightStyle, indentOnInput, indentUnit, syntaxHighlighting } from '@codemirror/language';
import { lintGutter, lintKeymap, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { EditorSelection, type StateCommand } from '@codemirror/state';
import {
  drawSelection, dropCursor, EditorView, highlightActiveLine, highlightActiveLineGutter, highlightSpecialChars, keymap, lineNumbers,
} from '@codemirror/view';
import { tags } from '@lezer/highlight';
import { inFilterBlock, kindOf, suggestionsAt } from './rule-language.ts';

function complete(ctx: CompletionContext): CompletionResult | null {
  const line = ctx.state.doc.lineAt(ctx.pos);
  const before = line.text.slice(0, ctx.pos - line.from);
  const text = ctx.state.doc.toString();
  const s = suggestionsAt(before, kindOf(text), inFilterBlock(text.split('\n'), line.number - 1));
  if (!s) return null;
  if (s.from === before.length && !ctx.explicit && !/:\s*"?$/.test(before)) return null;
  return { from: line.from + s.from, options: s.options, validFor: /^[\w.]*$/ };
}

/** Enter keeps the line's indentation, one level more after a `key:` that opens a block. */
const newlineKeepIndent: StateCommand = ({ state, dispatch }) => {
  dispatch(state.update(state.changeByRange((range) => {
    const line = state.doc.lineAt(range.head);
    const before = line.text.slice(0, range.head - line.from);
    const indent = /^\s*(?:-\s+)?/.exec(before)![0].replace('-', ' ');
    const insert = `\n${indent}${/:\s*$/.test(before) ? '  ' : ''}`;
    return { changes: { from: range.from, to: range.to, insert }, range: EditorSelection.cursor(range.from + insert.length) };
  }), { scrollIntoView: true, userEvent: 'input' }));
  return true;
};

const highlight = HighlightStyle.define([
  { tag: [tags.propertyName, tags.definition(tags.propertyName)], color: '#7cc4ff' },
  { tag: [tags.string, tags.special(tags.string)], color: '#b5e48c' },
  { tag: [tags.number, tags.bool, tags.null], color: '#f5b971' },
  { tag: [tags.keyword, tags.atom], color: '#e0a3ff' },
  { tag: tags.comment, color: '#8b9bb0', fontStyle: 'italic' },
  { tag: [tags.punctuation, tags.separator, tags.bracket], color: '#a8b6c6' },
]);

/** Dark control-room colours (see app.css). */
const theme = EditorView.theme({
  '&': { backgroundColor: 'var(--surface)', color: 'var(--text)', fontSize: '0.95rem', height: '100%' },
  '.cm-scroller': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', lineHeight: '1.55' },
  '.cm-content': { caretColor: 'var(--focus)' },
  '.cm-gutters': { backgroundColor: 'var(--surface-2)', color: 'var(--text-muted)', borderRight: '1px solid var(--border)' },
  '.cm-activeLine': { backgroundColor: '#ffffff0a' },
  '.cm-activeLineGutter': { backgroundColor: '#ffffff14' },
  // The ring of a focused editor is its frame's (RuleEditor.svelte): this dotted outline would be clipped by it.
  '&.cm-focused': { outline: 'none' },
  '&.cm-focused .cm-cursor': { borderLeftColor: 'var(--focus)' },
  '.cm-selectionBackground, &.cm-focused .cm-selectionBackground': { backgroundColor: '#5cb8ff44 !important' },
  '.cm-tooltip': { backgroundColor: 'var(--surface-3)', color: 'var(--text)', border: '1px solid var(--border)' },
  '.cm-tooltip-autocomplete ul li[aria-selected]': { backgroundColor: 'var(--accent)', color: '#00111f' },
  '.cm-diagnostic-error': { borderLeft: '4px solid var(--danger)' },
  '.cm-lintRange-error': { backgroundImage: 'none', textDecoration: 'underline wavy var(--danger)', textUnderlineOffset: '3px' },
}, { dark: true });

/**
 * The rule editor: YAML, completion of fields, kinds and operators; the validator's errors are
 * given to it by the page (setEditorDiagnostics), the same list it shows under the editor.
 * Tab and Shift-Tab are left to the browser, to move to the next or previous control: an editor
 * that kept them would hold keyboard users in (WCAG 2.1.2), and each Tab typed two spaces that
 * broke the YAML. Lines are indented with Ctrl-] and Ctrl-[ (the default keymap; `describedBy`
 * names the hint that says so); Enter keeps the indentation.
 */
export function createRuleEditor(parent: HTMLElement, doc: string, onChange: (text: string) => void, label: string, describedBy: string): EditorView {
  return new EditorView({
    parent,
    doc,
    extensions: [
      lineNumbers(),
      highlightActiveLineGutter(),
      highlightSpecialChars(),
      drawSelection(),
      dropCursor(),
      indentOnInput(),
      bracketMatching(),
      closeBrackets(),
      highlightActiveLine(),
      EditorView.lineWrapping,
      history(),
      indentUnit.of('  '), // YAML has no tabs
      keymap.of([{ key: 'Enter', run: newlineKeepIndent }, ...closeBracketsKeymap, ...completionKeymap, ...lintKeymap, ...historyKeymap, ...defaultKeymap]),
      yaml(),
      syntaxHighlighting(highlight),
      theme,
      lintGutter(),
      autocompletion({ override: [complete], activateOnTyping: true }),
      EditorView.contentAttributes.of({ 'aria-label': label, 'aria-describedby': describedBy, 'data-testid': 'rule-yaml' }),
      EditorView.updateListener.of((u) => { if (u.docChanged) onChange(u.state.doc.toString()); }),
    ],
  });
}

/** Replaces the whole text (a form edit, a version loaded), keeping the cursor where it can. */
export function setEditorText(view: EditorView, text: string): void {
  const cur = view.state.doc.toString();
  if (cur === text) return;
  const head = Math.min(view.state.selection.main.head, text.length);
  view.dispatch({ changes: { from: 0, to: cur.length, insert: text }, selection: { anchor: head } });
}

/**
 * Shows `list` as the editor's errors (underlined, in the gutter, on hover), replacing those it
 * had: the page works them out as the text or the console's language changes, so that the
 * editor and the list under it always say the same, in the same language.
 */
export function setEditorDiagnostics(view: EditorView, list: readonly { from: number; to: number; message: string }[]): void {
  const len = view.state.doc.length;
  const diagnostics: Diagnostic[] = list.map((d) => {
    const from = Math.min(Math.max(0, d.from), len);
    return { from, to: Math.min(Math.max(from, d.to), len), severity: 'error', message: d.message };
  });
  view.dispatch(setDiagnostics(view.state, diagnostics));
}
