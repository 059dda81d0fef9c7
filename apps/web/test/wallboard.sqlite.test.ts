import { describe } from "vitest";
import { describeWallboardApi } from "./wallboard-behaviour";

describe("wall-board API on SQLite", () => describeWallboardApi("sqlite"));
