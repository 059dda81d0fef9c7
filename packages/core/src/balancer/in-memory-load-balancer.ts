import { type Clock, systemClock } from "../clock.js";
import type { LoadBalancer, LoadReservation } from "./load-balancer.js";
import { pickLeastBusy, unique } from "./pick-least-busy.js";

/** Options of {@link InMemoryLoadBalancer}. */
export interface InMemoryLoadBalancerOptions {
  /** Stamps idle times (default {@link systemClock}). */
  readonly clock?: Clock;
}

/**
 * A {@link LoadBalancer} for one process: share one instance between all the
 * ring groups of a worker. Use `RedisLoadBalancer` when several workers ring
 * the same agents.
 */
export class InMemoryLoadBalancer implements LoadBalancer {
  private readonly clock: Clock;
  private readonly counts = new Map<string, number>();
  private readonly idleSince = new Map<string, number>();
  private turn = 0;

  constructor(options: InMemoryLoadBalancerOptions = {}) {
    this.clock = options.clock ?? systemClock;
  }

  async reserveLeastBusy(candidates: readonly string[]): Promise<LoadReservation | null> {
    const destinations = unique(candidates);
    if (destinations.length === 0) return null;
    const { index, usedTurn } = pickLeastBusy(
      destinations.map((d) => ({ load: this.countOf(d), idleSince: this.idleSince.get(d) ?? 0 })),
      this.turn,
    );
    if (usedTurn) this.turn++;
    return this.add(destinations[index] as string);
  }

  async reserve(destination: string): Promise<LoadReservation> {
    return this.add(destination);
  }

  async load(destinations: readonly string[]): Promise<Map<string, number>> {
    return new Map(destinations.map((d) => [d, this.countOf(d)]));
  }

  async close(): Promise<void> {}

  private countOf(destination: string): number {
    return this.counts.get(destination) ?? 0;
  }

  private add(destination: string): LoadReservation {
    const previousLoad = this.countOf(destination);
    this.counts.set(destination, previousLoad + 1);
    let released = false;
    return {
      destination,
      previousLoad,
      release: async () => {
        if (released) return;
        released = true;
        const left = this.countOf(destination) - 1;
        if (left > 0) {
          this.counts.set(destination, left);
        } else {
          this.counts.delete(destination);
          this.idleSince.set(destination, this.clock.now());
        }
      },
    };
  }
}
