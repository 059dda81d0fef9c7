"use client";

import { BoardRefused } from "./board-refused";
import { WallboardView } from "./wallboard-view";

/**
 * The board on a TV: always dark, type sized from the screen (the root
 * font size follows the viewport, so every rem-sized part scales and the
 * board fills the screen at any resolution), no controls.
 */
export function TvBoard({ tvToken }: { tvToken: string | null }) {
  return (
    <div className="dark min-h-svh bg-background text-foreground" data-testid="tv-board">
      <style>{"html { font-size: clamp(14px, calc(0.62vw + 0.55vh), 48px); }"}</style>
      {tvToken ? <WallboardView mode="tv" tvToken={tvToken} /> : <BoardRefused />}
    </div>
  );
}
