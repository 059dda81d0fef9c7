"use client";

import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { editorShortcuts, formatCombo } from "../model/shortcuts";

const apple = () => typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform);

/** The `?` sheet: every shortcut from the one table the key handler uses. */
export function ShortcutSheet(props: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const groups = [...new Set(editorShortcuts.map((s) => s.group))];
  return (
    <Dialog open={props.open} onOpenChange={props.onOpenChange}>
      <DialogContent className="sm:max-w-2xl">
        <DialogHeader>
          <DialogTitle>Keyboard shortcuts</DialogTitle>
          <DialogDescription>
            Drag from an output to a node to connect; drag on the canvas to select several; Space or
            the right mouse button pans; Ctrl and the wheel zoom.
          </DialogDescription>
        </DialogHeader>
        <div className="grid gap-x-8 gap-y-4 sm:grid-cols-2">
          {groups.map((group) => (
            <section key={group}>
              <h3 className="mb-1 text-xs font-medium uppercase tracking-wide text-muted-foreground">
                {group}
              </h3>
              <dl className="space-y-1 text-sm">
                {editorShortcuts
                  .filter((s) => s.group === group)
                  .map((s) => (
                    <div key={s.id} className="flex items-center justify-between gap-4">
                      <dt>{s.label}</dt>
                      <dd className="flex gap-1.5">
                        {s.keys.map((combo, index) => (
                          <span key={combo} className="flex items-center gap-0.5">
                            {index > 0 && (
                              <span className="px-1 text-xs text-muted-foreground">or</span>
                            )}
                            {formatCombo(combo, { apple: apple() }).map((part) => (
                              <kbd
                                key={part}
                                className="rounded border bg-muted px-1.5 py-0.5 font-mono text-[11px]"
                              >
                                {part}
                              </kbd>
                            ))}
                          </span>
                        ))}
                      </dd>
                    </div>
                  ))}
              </dl>
            </section>
          ))}
        </div>
      </DialogContent>
    </Dialog>
  );
}
