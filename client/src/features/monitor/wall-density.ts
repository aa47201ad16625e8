/**
 * How densely the seat wall draws its cards: the roomiest layout in which every seat in view fits
 * the wall's box, so a wall display shows the whole floor without scrolling; a province's
 * sixty seats get small cards (state still by colour and text) instead of an endless page.
 */
export type WallDensity = 'roomy' | 'compact' | 'dense' | 'tiny';

/** Each layout's narrowest card and its height in CSS pixels (the stylesheet sizes the text to fit). */
export const DENSITIES: readonly { density: WallDensity; minWidth: number; height: number }[] = [
  { density: 'roomy', minWidth: 220, height: 140 },
  { density: 'compact', minWidth: 200, height: 96 },
  { density: 'dense', minWidth: 132, height: 58 },
  { density: 'tiny', minWidth: 150, height: 34 },
];
/** The gap between cards (the stylesheet's .seat-cards gap). */
export const WALL_GAP = 8;

/** Cards per row when cards are at least `minWidth` wide in a `width`-wide wall (at least one). */
export function columnsFor(width: number, minWidth: number): number {
  return Math.max(1, Math.floor((width + WALL_GAP) / (minWidth + WALL_GAP)));
}

/**
 * The roomiest layout whose rows of `seats` cards fit `height`. When none does, the dense cards
 * (still with the call's category), and the wall scrolls inside itself: one-line cards are only
 * worth it when they show the whole floor at once. Without a measured box (not yet laid out): roomy.
 */
export function wallDensity(seats: number, box: { width: number; height: number } | null): WallDensity {
  if (!box || box.width <= 0 || box.height <= 0) return 'roomy';
  for (const d of DENSITIES) {
    const rows = Math.ceil(seats / columnsFor(box.width, d.minWidth));
    if (rows * d.height + (rows - 1) * WALL_GAP <= box.height) return d.density;
  }
  return 'dense';
}

/**
 * Columns of one-line cards: the fewest with which every row fits the wall's height, so each card
 * is as wide as it can be and the call's category gets the room (never more than fit across).
 */
export function tinyColumns(seats: number, box: { width: number; height: number }): number {
  const { minWidth, height } = densityOf('tiny');
  const rows = Math.max(1, Math.floor((box.height + WALL_GAP) / (height + WALL_GAP)));
  return Math.max(1, Math.min(Math.ceil(seats / rows), columnsFor(box.width, minWidth)));
}

export function densityOf(density: WallDensity): { minWidth: number; height: number } {
  return DENSITIES.find((d) => d.density === density)!;
}
