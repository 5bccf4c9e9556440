/** One difference between the base and the working tree, as a client of the API meets it. */
export interface Change {
  /** Code written against the base no longer compiles, or requests it sends are refused. */
  breaking: boolean;
  /** Operation and place, e.g. `GET /tasks response 200 application/json content.progress`. */
  where: string;
  /** Why it breaks (or what changed), in a client's terms. */
  why: string;
}
