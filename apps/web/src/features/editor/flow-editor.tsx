"use client";

import "@xyflow/react/dist/style.css";
import "./editor.css";
import type { FlowDraft, FlowNodeType, PathStep } from "@ringflow/core/flow";
import { ReactFlowProvider, useReactFlow } from "@xyflow/react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { TestCallPanel, type TestCallPath } from "@/features/test-calls/test-call-panel";
import { cn } from "@/lib/utils";
import { FIT_PADDING } from "./canvas/canvas-constants";
import { FlowCanvas } from "./canvas/flow-canvas";
import { rememberedViewport } from "./canvas/viewport-memory";
import { DraftConflict } from "./chrome/draft-conflict";
import { EditorToolbar } from "./chrome/editor-toolbar";
import { ImportDialog } from "./chrome/import-dialog";
import { PublishDialog } from "./chrome/publish-dialog";
import { ShortcutSheet } from "./chrome/shortcut-sheet";
import { isBlankDraft, TemplatePicker } from "./chrome/template-picker";
import { type VersionRow, VersionsPanel } from "./chrome/versions-panel";
import type { EditorApi, Refusal } from "./editor-api";
import { useAutosave } from "./hooks/use-autosave";
import { useCanvasView } from "./hooks/use-canvas-view";
import { useClipboard } from "./hooks/use-clipboard";
import { useEditorShortcuts } from "./hooks/use-editor-shortcuts";
import { countDecorations } from "./model/canvas-views";
import { noDecorations } from "./model/decorations";
import { exportFileName, exportFileText } from "./model/flow-file";
import { canAddNodeType } from "./model/new-node";
import { NodePalette } from "./palette/node-palette";
import { QuickAdd } from "./palette/quick-add";
import { ProblemsPanel } from "./panel/problems-panel";
import type { ResourceOptions } from "./panel/resource-options";
import { SettingsPanel } from "./panel/settings-panel";
import { EditorStoreProvider } from "./state/editor-context";
import { createEditorStore } from "./state/editor-store";
import { ResourcesProvider } from "./state/resource-names";

/** What the editor page hands the editor. */
export interface FlowEditorProps {
  readonly flow: {
    id: string;
    name: string;
    revision: number;
    draft: FlowDraft;
    liveVersion: number | null;
  };
  readonly versions: readonly VersionRow[];
  readonly canPublish: boolean;
  /** Everything read-only (a supervisor): no palette, no edits, no saves. */
  readonly readOnly?: boolean;
  readonly resources: ResourceOptions;
  readonly api: EditorApi;
  readonly backHref: string;
  /** Open on a call's path (from call history) instead of the draft. */
  readonly execution?: {
    version: number;
    graph: FlowDraft;
    steps: readonly PathStep[];
    callLabel: string;
  };
  /** Tells the page the versions changed (after a publish or rollback). */
  readonly onVersionsChanged: () => void;
}

/** The flow editor: palette, canvas, settings, problems and versions, around one draft. */
export function FlowEditor(props: FlowEditorProps) {
  return (
    <ReactFlowProvider>
      <EditorBody {...props} />
    </ReactFlowProvider>
  );
}

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
  const link = Object.assign(document.createElement("a"), { href: url, download: name });
  link.click();
  URL.revokeObjectURL(url);
}

function EditorBody(props: FlowEditorProps) {
  const { api, flow } = props;
  const [draft] = useState(() =>
    createEditorStore({
      graph: flow.draft,
      revision: flow.revision,
      mode: props.readOnly ? "view" : "edit",
    }),
  );
  const canvas = useCanvasView(draft);
  const store = canvas.store ?? draft;
  const [initialViewport] = useState(() => rememberedViewport(flow.id));
  const [tab, setTab] = useState("settings");
  const [quickAdd, setQuickAdd] = useState<{ x: number; y: number } | null>(null);
  const [dialog, setDialog] = useState<"publish" | "import" | "shortcuts" | "template" | null>(
    () =>
      !props.readOnly && !props.execution && flow.liveVersion === null && isBlankDraft(flow.draft)
        ? "template"
        : null,
  );
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [busy, setBusy] = useState(false);
  const [showCounts, setShowCounts] = useState(false);
  const { screenToFlowPosition, fitView, zoomIn, zoomOut } = useReactFlow();
  const view = {
    fitView: () => void fitView({ padding: FIT_PADDING, maxZoom: 1, duration: 200 }),
    zoomIn: () => void zoomIn({ duration: 150 }),
    zoomOut: () => void zoomOut({ duration: 150 }),
  };
  const { saveNow, flush } = useAutosave({
    store: draft,
    save: api.saveDraft,
    classify: api.classifySaveError,
  });
  const clipboard = useClipboard(store);

  // On arrival from a call's page: the call's path, once.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on mount only.
  useEffect(() => {
    if (props.execution) canvas.showExecution(props.execution);
  }, []);

  useEffect(() => {
    if (!showCounts || flow.liveVersion === null) {
      draft.getState().setDecorations(noDecorations);
      return;
    }
    let cancelled = false;
    void api
      .outputCounts()
      .then((rows) => !cancelled && draft.getState().setDecorations(countDecorations(rows)));
    return () => {
      cancelled = true;
    };
  }, [showCounts, flow.liveVersion, api, draft]);

  const centre = () => {
    const rect = document.querySelector(".react-flow")?.getBoundingClientRect();
    return screenToFlowPosition(
      rect ? { x: rect.x + rect.width / 2, y: rect.y + rect.height / 3 } : { x: 400, y: 300 },
    );
  };
  const addNode = (type: FlowNodeType, at = centre()) => draft.getState().addNode(type, at);
  const editing = canvas.view.kind === "draft" && !props.readOnly;
  const state = () => draft.getState();

  useEditorShortcuts(
    editing
      ? {
          undo: () => state().undo(),
          redo: () => state().redo(),
          copy: clipboard.copy,
          cut: clipboard.cut,
          paste: clipboard.paste,
          duplicate: () => state().duplicateSelection(),
          delete: () => state().deleteSelection(),
          selectAll: () => state().select(state().nodes.map((n) => n.id)),
          quickAdd: () => setQuickAdd(centre()),
          note: () => state().addNote(centre()),
          layout: () => state().autoLayout(),
          save: saveNow,
          problems: () => setTab("problems"),
          help: () => setDialog("shortcuts"),
          escape: () => state().select([]),
          ...view,
        }
      : {
          copy: clipboard.copy,
          help: () => setDialog("shortcuts"),
          problems: () => setTab("problems"),
          escape: canvas.showDraft,
          ...view,
        },
  );

  const viewing =
    canvas.view.kind === "version"
      ? `Version ${canvas.view.version} (read-only)`
      : canvas.view.kind === "diff"
        ? `Draft vs live v${canvas.view.liveVersion}: ${canvas.view.changes} change${canvas.view.changes === 1 ? "" : "s"}`
        : canvas.view.kind === "execution"
          ? `${canvas.view.callLabel} on ${canvas.view.version === null ? "the draft" : `v${canvas.view.version}`}`
          : null;

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setRefusal(null);
    try {
      await work();
    } catch (error) {
      setRefusal(api.describeRefusal(error));
    } finally {
      setBusy(false);
    }
  };
  const publish = (comment: string) =>
    run(async () => {
      // Publish exactly what the canvas shows: save what is pending, then
      // publish that revision (the server refuses if someone saved since).
      const saved = await flush();
      if (saved.status !== "saved") {
        throw new Error(
          saved.status === "conflict"
            ? "Someone else saved this flow meanwhile: choose whose version to keep, then publish."
            : "The draft could not be saved, so it was not published. Try again when it says Saved.",
        );
      }
      await api.publish(comment, saved.revision);
      setDialog(null);
      props.onVersionsChanged();
    });
  // Test calls: the draft is saved first (the worker reads it from the
  // database), and the call's path is drawn as its steps arrive.
  const prepareTestCall = useCallback(async () => {
    const saved = await flush();
    if (saved.status !== "saved") {
      throw new Error(
        saved.status === "conflict"
          ? "Someone else saved this flow meanwhile: choose whose version to keep, then call."
          : "The draft could not be saved, so the call would not run what you see. Try again when it says Saved.",
      );
    }
    return draft.getState().history.present;
  }, [flush, draft]);
  const liveGraph = useRef<{ version: number; graph: FlowDraft } | null>(null);
  const { showExecution } = canvas;
  const showTestCall = useCallback(
    async (path: TestCallPath) => {
      let graph = path.graph;
      const version = path.run === "live" ? flow.liveVersion : null;
      if (!graph && version !== null) {
        if (liveGraph.current?.version !== version) {
          liveGraph.current = { version, graph: (await api.loadVersion(version)).graph };
        }
        graph = liveGraph.current.graph;
      }
      if (!graph) return;
      showExecution({ version, graph, steps: path.steps, callLabel: path.label, live: path.live });
    },
    [api, flow.liveVersion, showExecution],
  );
  const startNumbers = useMemo(() => {
    const start = flow.draft.nodes.find((n) => n.type === "start");
    const list = (start?.data as { numbers?: unknown } | undefined)?.numbers;
    return Array.isArray(list) ? list.filter((n): n is string => typeof n === "string") : [];
  }, [flow.draft]);
  const testCalls = props.canPublish && !props.readOnly;
  const [testTabOpened, setTestTabOpened] = useState(false);
  if (tab === "test" && !testTabOpened) setTestTabOpened(true);
  const numbers = useMemo(() => {
    const start = flow.draft.nodes.find((n) => n.type === "start");
    const list = (start?.data as { numbers?: unknown } | undefined)?.numbers;
    return Array.isArray(list) && list.length > 0
      ? `Calls to ${list.join(", ")} will run it.`
      : "No number routes here yet.";
  }, [flow.draft]);

  return (
    <ResourcesProvider resources={props.resources}>
      <EditorStoreProvider store={store}>
        <div
          className="flex h-full min-h-0 flex-col"
          data-testid="flow-editor"
          data-view={canvas.view.kind}
        >
          <EditorToolbar
            flowName={flow.name}
            backHref={props.backHref}
            viewing={viewing}
            canPublish={props.canPublish}
            hasLive={flow.liveVersion !== null}
            showingCounts={showCounts}
            onUndo={() => state().undo()}
            onRedo={() => state().redo()}
            onLayout={() => state().autoLayout()}
            onNote={() => state().addNote(centre())}
            onToggleCounts={() => setShowCounts((v) => !v)}
            onImport={() => {
              setRefusal(null);
              setDialog("import");
            }}
            onExport={() =>
              download(
                exportFileName(
                  flow.name,
                  canvas.view.kind === "version" ? canvas.view.version : null,
                ),
                exportFileText(store.getState().history.present),
              )
            }
            onShortcuts={() => setDialog("shortcuts")}
            onProblems={() => setTab("problems")}
            onPublish={() => {
              setRefusal(null);
              setDialog("publish");
            }}
            onBackToDraft={canvas.showDraft}
          />
          <div className="grid min-h-0 flex-1 grid-cols-[15rem_minmax(0,1fr)_20rem]">
            <div className="min-h-0 border-r bg-background">
              {editing ? (
                <NodePalette
                  onAdd={(type) => addNode(type)}
                  onAddNote={() => state().addNote(centre())}
                />
              ) : (
                <p className="p-4 text-sm text-muted-foreground">
                  Read-only. “Back to the draft” to edit.
                </p>
              )}
            </div>
            <div className="relative min-h-0">
              <FlowCanvas
                flowId={flow.id}
                initialViewport={initialViewport}
                onQuickAdd={(at) => setQuickAdd(at)}
              />
            </div>
            <Tabs
              value={tab}
              onValueChange={setTab}
              className="flex min-h-0 flex-col gap-0 border-l bg-background"
            >
              <TabsList
                className={cn("m-2 grid w-auto", testCalls ? "grid-cols-4" : "grid-cols-3")}
              >
                <TabsTrigger value="settings">Settings</TabsTrigger>
                <TabsTrigger value="problems">Problems</TabsTrigger>
                <TabsTrigger value="versions">Versions</TabsTrigger>
                {testCalls && <TabsTrigger value="test">Test</TabsTrigger>}
              </TabsList>
              <TabsContent value="settings" className="min-h-0 flex-1">
                <SettingsPanel resources={props.resources} />
              </TabsContent>
              <TabsContent value="problems" className="min-h-0 flex-1 overflow-y-auto">
                <ProblemsPanel />
              </TabsContent>
              {/* Mounted once first opened (not with the editor: it asks the
                  simulator), then kept so a call survives switching tabs. */}
              {testCalls && testTabOpened && (
                <TabsContent
                  value="test"
                  className="min-h-0 flex-1"
                  forceMount
                  hidden={tab !== "test"}
                >
                  <TestCallPanel
                    flowId={flow.id}
                    startNumbers={startNumbers}
                    prepare={prepareTestCall}
                    onPath={(path) => void showTestCall(path)}
                  />
                </TabsContent>
              )}
              <TabsContent value="versions" className="min-h-0 flex-1">
                <VersionsPanel
                  versions={props.versions}
                  liveVersion={flow.liveVersion}
                  viewing={canvas.view.kind === "version" ? canvas.view.version : null}
                  canPublish={props.canPublish}
                  onOpen={async (version) => {
                    if (version === null) return canvas.showDraft();
                    canvas.showVersion(version, (await api.loadVersion(version)).graph);
                  }}
                  onRollback={(version) =>
                    run(async () => {
                      await api.rollback(version, `Roll back to v${version}`);
                      props.onVersionsChanged();
                    })
                  }
                  onCompare={async () => {
                    if (flow.liveVersion === null) return;
                    canvas.showDiff(
                      flow.liveVersion,
                      (await api.loadVersion(flow.liveVersion)).graph,
                    );
                  }}
                />
              </TabsContent>
            </Tabs>
          </div>
        </div>
        <QuickAdd
          open={quickAdd !== null}
          onOpenChange={(open) => !open && setQuickAdd(null)}
          isAllowed={(type) => canAddNodeType(state().history.present, type)}
          onPick={(type) => quickAdd && addNode(type, quickAdd)}
        />
        <ShortcutSheet
          open={dialog === "shortcuts"}
          onOpenChange={(open) => setDialog(open ? "shortcuts" : null)}
        />
        <PublishDialog
          open={dialog === "publish"}
          onOpenChange={(open) => setDialog(open ? "publish" : null)}
          summary={numbers}
          warningCount={draft.getState().problems.warningCount}
          publishing={busy}
          refused={refusal}
          onPublish={publish}
        />
        <ImportDialog
          open={dialog === "import"}
          onOpenChange={(open) => setDialog(open ? "import" : null)}
          importing={busy}
          refused={refusal}
          onImport={(json) =>
            run(async () => {
              const { graph, revision } = await api.importDraft(json, state().save.revision);
              state().applySaved(graph, revision);
              setDialog(null);
            })
          }
        />
        <TemplatePicker
          open={dialog === "template"}
          onOpenChange={(open) => setDialog(open ? "template" : null)}
          onPick={(graph) => {
            setDialog(null);
            if (graph) {
              // Keep what the blank start already had (its numbers).
              const start = state().history.present.nodes.find((n) => n.type === "start");
              const nodes = graph.nodes.map((n) =>
                n.type === "start" && start ? { ...n, data: { ...n.data, ...start.data } } : n,
              );
              state().commit({ ...graph, nodes });
              state().requestFit();
            }
          }}
        />
        <DraftConflict store={draft} api={api} />
      </EditorStoreProvider>
    </ResourcesProvider>
  );
}
