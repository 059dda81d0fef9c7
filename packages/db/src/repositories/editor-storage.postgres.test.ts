import { describe } from "vitest";
import { describeEditorStorage } from "../../test/editor-storage-behaviour.js";

describe("editor storage on PostgreSQL", () => describeEditorStorage("postgresql"));
