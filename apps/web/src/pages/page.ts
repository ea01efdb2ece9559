/** What main.ts needs from a page: show it (first time: build it) and recompute after a switch. */
export interface Page {
  show(): Promise<void>;
  /** Re-run the page's models (after a backend switch or new weights). */
  refresh(): Promise<void>;
}
