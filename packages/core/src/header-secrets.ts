// What of a sensitive header's value is a secret worth hiding wherever a server echoes it.

/** The secrets in one sensitive header value: the whole value, the part after its scheme, quoted tokens, Basic's parts, cookie values. */
export function headerSecrets(value: string): string[] {
  const secrets = [value.trim()];
  const scheme = /^\s*([A-Za-z][\w-]*)\s+(\S.*)$/.exec(value);
  if (scheme) {
    const credentials = scheme[2]!.trim();
    secrets.push(credentials);
    if (scheme[1]!.toLowerCase() === 'basic') {
      const decoded = Buffer.from(credentials, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon >= 0) secrets.push(decoded, decoded.slice(colon + 1));
    }
  }
  for (const match of value.matchAll(/=\s*"([^"]+)"/g)) secrets.push(match[1]!);
  for (const part of value.split(';')) {
    const equals = part.indexOf('=');
    if (equals > 0) secrets.push(part.slice(equals + 1).trim());
  }
  return secrets.filter((secret) => secret.length > 0);
}
