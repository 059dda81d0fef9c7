import { describe } from "vitest";
import { describeEditorApi } from "./editor-api-behaviour";

describe("editor API on PostgreSQL", () => describeEditorApi("postgresql"));
