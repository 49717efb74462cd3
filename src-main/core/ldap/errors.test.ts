import { InvalidCredentialsError, InsufficientAccessError, NoSuchObjectError, SizeLimitExceededError } from 'ldapts';
import { describe, expect, it } from 'vitest';
import { AD_BIND_DATA_CODES, translateLdapError } from './errors';

const context = { url: 'ldaps://dc1.corp.example:636', bindDn: 'CN=svc-roster,OU=Service,DC=corp,DC=example', baseDn: 'DC=corp,DC=example' };
// What Active Directory (and Samba AD) put in the diagnostic message of a refused bind.
const adBindMessage = (code: string) => `80090308: LdapErr: DSID-0C09044E, comment: AcceptSecurityContext error, data ${code}, v4563`;

describe('translateLdapError', () => {
  it.each([
    ['52e', 'the password is wrong (or the bind DN names another account)'],
    ['532', 'the password has expired; set a new one for the service account'],
    ['533', 'the account is disabled; ask a domain admin to enable it'],
    ['701', 'the account has expired; ask a domain admin to extend it'],
    ['773', 'the password must be changed before the first logon; set a new one'],
    ['775', 'the account is locked out after too many failed logons; wait or ask a domain admin to unlock it'],
  ])('explains Active Directory bind code %s', (code, explanation) => {
    const error = translateLdapError(new InvalidCredentialsError(adBindMessage(code)), context);
    expect(error.code).toBe('invalid-credentials');
    expect(error.message).toBe(`Invalid credentials for ${context.bindDn}: ${explanation} (Active Directory code ${code}).`);
    expect(error.details).toEqual({ adCode: code });
    expect(AD_BIND_DATA_CODES[code]).toBe(explanation);
  });

  it('maps LDAP result codes to their own messages', () => {
    expect(translateLdapError(new NoSuchObjectError('no such object'), context).message).toBe(
      'The base DN DC=corp,DC=example does not exist on dc1.corp.example:636. Check its spelling.',
    );
    expect(translateLdapError(new SizeLimitExceededError('limit'), context).code).toBe('size-limit');
    expect(translateLdapError(new InsufficientAccessError('no'), context).message).toBe(
      `The bind account ${context.bindDn} may not read this part of the directory on dc1.corp.example:636. Ask the directory owner for read access.`,
    );
  });

  it('names the certificate problem', () => {
    const mismatch = Object.assign(new Error("Hostname/IP does not match certificate's altnames: Host: dc1. is not in the cert's altnames: DNS:dc2"), {
      code: 'ERR_TLS_CERT_ALTNAME_INVALID',
    });
    expect(translateLdapError(mismatch, context)).toMatchObject({ code: 'tls-hostname', details: { tlsCode: 'ERR_TLS_CERT_ALTNAME_INVALID' } });
    const expired = Object.assign(new Error('certificate has expired'), { code: 'CERT_HAS_EXPIRED' });
    expect(translateLdapError(expired, context).message).toBe(
      "The certificate of dc1.corp.example:636 is expired. Ask the directory owner to renew it, or check this computer's clock.",
    );
  });

  // ldapts' own words for a request it gave up on; stalled-server.test.ts drives the real ones end to end.
  it('names the request a server left unanswered, and the operation timeout', () => {
    const withTimeout = { ...context, operationTimeoutMs: 2_500 };
    expect(translateLdapError(new Error('BindRequest: Operation timed out'), withTimeout)).toMatchObject({
      code: 'timeout',
      message:
        "dc1.corp.example:636 accepted the connection but did not answer the bind within the realm's operation timeout (2.5 s). The server may be overloaded or hung: try again later or raise the operation timeout in the realm's connection settings.",
    });
    // Without the timeout (Test connection's probes), the general message.
    expect(translateLdapError(new Error('SearchRequest: Operation timed out'), context).message).toBe(
      'dc1.corp.example:636 did not answer in time. Check that the host and port are right and that a firewall does not drop the connection, or raise the timeout.',
    );
    expect(translateLdapError(new Error('Socket error. Message type: SearchRequest (0x63)\nThis socket has been ended by the other party'), context)).toMatchObject({
      code: 'host-unreachable',
      message:
        'dc1.corp.example:636 broke the connection (This socket has been ended by the other party) during the search, before answering it. The directory service may have stopped or restarted: check that it runs, then try again.',
    });
    expect(translateLdapError(new Error('Connection closed before message response was received. Message type: SearchRequest (0x63)'), context).message).toBe(
      'dc1.corp.example:636 closed the connection during the search, before answering it. The directory service may have stopped or restarted: check that it runs, then try again.',
    );
  });

  // not-ldap.test.ts meets each of these from real servers; here, ldapts' and Node's own words.
  it('says that something answered but does not speak LDAP when the first request (bind, StartTLS) is dropped, or ldaps:// gets no TLS', () => {
    const plain = { url: 'ldap://dc1.corp.example:8080' };
    const advice =
      'Check the port (389 for ldap://, 636 for ldaps://) and the scheme: a server that expects TLS from the first byte needs an ldaps:// URL. If it is the directory server, check that its LDAP service runs.';
    expect(translateLdapError(new Error('Connection closed before message response was received. Message type: BindRequest (0x60)'), plain)).toMatchObject({
      code: 'host-unreachable',
      message: `Something answers at dc1.corp.example:8080, but it does not speak LDAP: it closed the connection at the bind without an LDAP answer. ${advice}`,
    });
    expect(translateLdapError(new Error('Connection closed before message response was received. Message type: ExtendedRequest (0x77)'), plain).message).toBe(
      `Something answers at dc1.corp.example:8080, but it does not speak LDAP: it closed the connection at the StartTLS request without an LDAP answer. ${advice}`,
    );
    expect(translateLdapError(new Error('Connection closed before message response was received. Message type: BindRequest (0x60)'), context).message).toBe(
      'Something answers at dc1.corp.example:636, but it does not speak LDAP: it closed the connection at the bind without an LDAP answer. Check the port: ldaps:// is usually 636. If it is the directory server, check that its LDAP service runs.',
    );
    const noTls = Object.assign(new Error('error:0A00010B:SSL routines:ssl3_get_record:wrong version number'), { code: 'ERR_SSL_WRONG_VERSION_NUMBER' });
    expect(translateLdapError(noTls, context)).toMatchObject({
      code: 'tls-failed',
      message:
        'Something answers at dc1.corp.example:636, but it does not speak ldaps:// (LDAP over TLS): the TLS handshake got an answer that is not TLS (ERR_SSL_WRONG_VERSION_NUMBER). Check the port: ldaps:// is usually 636; a plain LDAP port (usually 389) needs an ldap:// URL, with StartTLS.',
    });
    const closed = Object.assign(new Error('Client network socket disconnected before secure TLS connection was established'), { code: 'ECONNRESET' });
    expect(translateLdapError(closed, context).message).toMatch(/^Something answers at dc1\.corp\.example:636, but it does not speak ldaps:\/\/ \(LDAP over TLS\): the TLS handshake got the connection closed \(ECONNRESET\)\./);
  });
});
