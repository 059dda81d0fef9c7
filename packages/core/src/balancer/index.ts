export {
  InMemoryLoadBalancer,
  type InMemoryLoadBalancerOptions,
} from "./in-memory-load-balancer.js";
export type { LoadBalancer, LoadReservation } from "./load-balancer.js";
export { RedisLoadBalancer, type RedisLoadBalancerOptions } from "./redis-load-balancer.js";
