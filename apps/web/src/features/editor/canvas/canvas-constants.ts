/** The MIME type the palette drags a node type as. */
export const NODE_TYPE_MIME = "application/x-ringflow-node-type";

/** Farthest out the canvas zooms: a 300-node flow still fits. */
export const MIN_ZOOM = 0.1;

/** Room left around the flow when it is fitted into view, as a share of the canvas. */
export const FIT_PADDING = 0.08;

/** The grid nodes snap to, in pixels. */
export const SNAP_GRID: [number, number] = [16, 16];
