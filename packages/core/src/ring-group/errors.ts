import { RingflowError } from "../errors.js";

/** A ring group was asked for something it cannot do (bad timeout, balancing without a balancer...). */
export class InvalidRingGroupOptionsError extends RingflowError {
  readonly code = "RING_GROUP_INVALID_OPTIONS";
}
