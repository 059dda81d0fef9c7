import { describeQueueBehaviour } from "../../test/queue-behaviour.js";
import { InMemoryBackend } from "./in-memory-backend.js";

describeQueueBehaviour("InMemoryBackend", (clock) => new InMemoryBackend({ clock }));
