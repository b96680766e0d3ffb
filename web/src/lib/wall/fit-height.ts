/**
 * The wall's side column must show all of itself, never a scroll bar nor a card cut in half.
 * Its sizes follow the screen (Wall.svelte), so it fits as laid out at 1080 px; when a screen's
 * content runs longer (warnings on two lines, late feeds named, a district's name in the
 * headings), the column is zoomed out just enough to fit: smaller type rather than less.
 */

/** The zoom that makes `content` px fit in `room` px: 1 when it fits, else a little less than the ratio. */
export function fitScale(content: number, room: number): number {
  if (!(content > room) || room <= 0) return 1;
  return Math.floor((room / content) * 100) / 100;
}

/**
 * Zooms `node` out so that its height fits its parent's inner height, again each time either
 * changes size. The content is measured unzoomed each time (a zoomed-out column wraps less and
 * would otherwise zoom back in and out again).
 */
export function fitHeight(node: HTMLElement): { destroy(): void } {
  const parent = node.parentElement;
  if (!parent) return { destroy() {} };
  const fit = () => {
    node.style.zoom = '';
    const style = getComputedStyle(parent);
    const room = parent.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
    const zoom = fitScale(node.getBoundingClientRect().height, room);
    node.style.zoom = zoom === 1 ? '' : String(zoom);
    node.dataset.zoom = String(zoom);
  };
  const observer = new ResizeObserver(fit);
  observer.observe(node);
  observer.observe(parent);
  fit();
  return { destroy: () => observer.disconnect() };
}
