/** A JWS algorithm a Security Event Token can be signed with (RFC 7518 §3.1). */
export type SetAlgorithm = 'ES256' | 'RS256';

/** The key Security Event Tokens are signed with. */
export interface SetSigningKey {
  /** `ES256` (ECDSA P-256 with SHA-256) or `RS256` (RSASSA-PKCS1-v1_5 with SHA-256). */
  readonly alg: SetAlgorithm;
  /** The private key: a Web Crypto `CryptoKey` allowed to sign, or a private JWK. */
  readonly privateKey: CryptoKey | JsonWebKey;
  /** The key id receivers pick the public key by (JWS header `kid`). */
  readonly kid?: string;
}

const ALGORITHMS: Readonly<Record<SetAlgorithm, { importAs: EcKeyImportParams | RsaHashedImportParams; sign: AlgorithmIdentifier | EcdsaParams }>> = {
  ES256: { importAs: { name: 'ECDSA', namedCurve: 'P-256' }, sign: { name: 'ECDSA', hash: 'SHA-256' } },
  RS256: { importAs: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, sign: { name: 'RSASSA-PKCS1-v1_5' } },
};

/** base64url without padding (RFC 7515 §2). */
export function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function isCryptoKey(value: unknown): value is CryptoKey {
  return typeof value === 'object' && value !== null && 'algorithm' in value && 'usages' in value && 'type' in value;
}

/**
 * Signs JWTs in JWS compact serialization (RFC 7515 §7.1) with Web Crypto: header
 * `{ alg, typ: "secevent+jwt", kid }` as RFC 8417 §2.3 recommends for Security Event Tokens.
 */
export class SetSigner {
  private readonly key: Promise<CryptoKey>;
  private readonly header: string;

  /**
   * @param signing - the algorithm, the private key and its id.
   * @throws TypeError naming the option when the key is not of the accepted form.
   */
  constructor(private readonly signing: SetSigningKey) {
    const algorithm = ALGORITHMS[signing?.alg as SetAlgorithm];
    if (!algorithm) throw new TypeError(`ScimEventPublisher option "signingKey.alg" must be "ES256" or "RS256", got ${JSON.stringify(signing?.alg)}`);
    if (signing.kid !== undefined && typeof signing.kid !== 'string') throw new TypeError('ScimEventPublisher option "signingKey.kid" must be a string');
    const key = signing.privateKey;
    if (isCryptoKey(key)) {
      if (key.type !== 'private' || !key.usages.includes('sign'))
        throw new TypeError('ScimEventPublisher option "signingKey.privateKey" must be a private key usable to sign');
      this.key = Promise.resolve(key);
    } else if (typeof key === 'object' && key !== null && typeof (key as JsonWebKey).d === 'string') {
      this.key = crypto.subtle.importKey('jwk', key as JsonWebKey, algorithm.importAs, false, ['sign']);
      this.key.catch(() => undefined);
    } else {
      throw new TypeError('ScimEventPublisher option "signingKey.privateKey" must be a private CryptoKey or a private JWK (with "d")');
    }
    const header = { alg: signing.alg, typ: 'secevent+jwt', ...(signing.kid !== undefined ? { kid: signing.kid } : {}) };
    this.header = base64url(new TextEncoder().encode(JSON.stringify(header)));
  }

  /** The compact JWS of `claims`. */
  async sign(claims: object): Promise<string> {
    const input = `${this.header}.${base64url(new TextEncoder().encode(JSON.stringify(claims)))}`;
    const algorithm = ALGORITHMS[this.signing.alg];
    // ECDSA signatures from Web Crypto are r || s, the JWS form (RFC 7518 §3.4).
    const signature = await crypto.subtle.sign(algorithm.sign, await this.key, new TextEncoder().encode(input));
    return `${input}.${base64url(new Uint8Array(signature))}`;
  }
}
