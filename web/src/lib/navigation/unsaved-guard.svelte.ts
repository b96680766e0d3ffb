import { beforeNavigate } from '$app/navigation';

/**
 * Asks before leaving a page whose edits are not saved (`dirty()`), with `question()` for a
 * move within the console and the browser's own question for a reload or a closed tab. Call it
 * while a component initialises. `leaving(go)` runs a move the page makes itself once its work
 * is saved (to the saved item's page), without asking.
 */
export function guardUnsaved(dirty: () => boolean, question: () => string): { leaving<T>(go: () => Promise<T>): Promise<T> } {
  let moving = false;
  beforeNavigate((nav) => {
    if (!dirty() || moving) return;
    // A page unload asks the browser's own question (below); a move within the console asks here.
    if (nav.type !== 'leave' && !confirm(question())) nav.cancel();
  });
  $effect(() => {
    if (!dirty()) return;
    const keep = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', keep);
    return () => window.removeEventListener('beforeunload', keep);
  });
  return {
    async leaving(go) {
      moving = true;
      try {
        return await go();
      } finally {
        moving = false;
      }
    },
  };
}
