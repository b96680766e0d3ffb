/**
 * One rule for sending a form from the keyboard, in every dialog and panel of the console:
 * in a single-line field Entrée sends (the browser does it); in a textarea Entrée makes a
 * new line and Ctrl+Entrée (Cmd+Entrée on a Mac) sends.
 */

export type SubmitKeyInput = {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  /** An input method is composing (Entrée then picks the word, it does not send). */
  isComposing: boolean;
};

/** Whether this key press sends the form of a field that is `multiline` (a textarea) or not. */
export function submitsForm(input: SubmitKeyInput, multiline: boolean): boolean {
  if (input.key !== 'Enter' || input.isComposing || input.altKey) return false;
  const command = input.ctrlKey || input.metaKey;
  return multiline ? command && !input.shiftKey : !input.shiftKey;
}

/** A textarea's keydown handler: Ctrl+Entrée (or Cmd+Entrée) sends its form, Entrée stays a new line. */
export function submitOnCommandEnter(event: KeyboardEvent & { currentTarget: HTMLTextAreaElement }): void {
  if (!submitsForm(event, true)) return;
  event.preventDefault();
  event.currentTarget.form?.requestSubmit();
}
