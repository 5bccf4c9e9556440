import { InvalidArgumentError } from 'commander';

export interface ListenAddress {
  host: string;
  port: number;
}

export const DEFAULT_LISTEN = '127.0.0.1:9464';

/**
 * `--listen`: `HOST:PORT`, `[IPV6]:PORT`, or `:PORT` for every interface (as Prometheus's own
 * `--web.listen-address`). Anything else is a commander `InvalidArgumentError` (exit 2).
 */
export function parseListen(text: string): ListenAddress {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([^\s:[\]/]*)):(\d{1,5})$/.exec(text);
  const port = match ? Number(match[3]) : Number.NaN;
  if (!match || !(port >= 0 && port <= 65_535)) {
    throw new InvalidArgumentError(
      `expected HOST:PORT (e.g. ${DEFAULT_LISTEN}, [::1]:9464, or :9464 for every interface) with a port 0-65535`,
    );
  }
  return { host: match[1] ?? (match[2] === '' ? '0.0.0.0' : match[2]!), port };
}
