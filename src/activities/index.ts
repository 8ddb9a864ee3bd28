import type { Container } from '../container';

/** Every activity the worker registers, each area's made by its own factory from the container. */
export function createActivities(container: Container) {
  void container;
  return {};
}
export type Activities = ReturnType<typeof createActivities>;
