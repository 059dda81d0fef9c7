import { describe } from "vitest";
import { describeEditorApi } from "./editor-api-behaviour";

describe("editor API on SQLite", () => describeEditorApi("sqlite"));
