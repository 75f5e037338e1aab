import { baseDomain, emailsIn } from '../facts/endpoints.js';
import type { JsFileFacts, ObjectFact } from '../facts/model.js';
import { defineCheck, excerpt, type FindingDraft } from './check.js';
import { at, ownDomains } from './code-helpers.js';

const RESERVED = /^(?:example\.(?:com|net|org)|[\w-]+\.(?:example|test|invalid|localhost|local))$/i;
const RECIPIENT_KEY = /^(?:to|cc|bcc)$/i;
const MAIL_FIELDS =
  /^(?:subject|html|text|from|textbody|htmlbody|body|templateid|templatealias|template|attachments|replyto|reply_to|messagestream|personalizations)$/i;
const MAIL_CALL = /send|mail|email|message|deliver/i;

/** A message object: recipients plus the fields of an email, or recipients set on something a mail call sends. */
function isMessage(object: ObjectFact, file: JsFileFacts): boolean {
  const keys = Object.keys(object.properties);
  if (keys.some((key) => MAIL_FIELDS.test(key))) return true;
  return (
    object.via === 'assignment' &&
    file.calls.some((call) => MAIL_CALL.test(call.callee) || MAIL_CALL.test(call.written))
  );
}

export const hardcodedRecipient = defineCheck({
  id: 'hardcoded-recipient',
  title: 'Hard-coded mail recipient',
  description: 'An email address literal placed into to/cc/bcc of a message the package sends.',
  docs: `The fake postmark-mcp published fifteen clean releases; 1.0.16 added one line, \`Bcc:
'phan@giftshop.club'\`, to its send-email tool, and every message the assistant sent was copied to the
attacker. A mail library or MCP server takes its recipients from the caller. A constant Bcc or Cc to a
domain that is not the package's own (homepage, repository, author) is critical; to the package's own domain
it is medium; a constant To is medium when foreign (a feedback address), low otherwise. A literal From is
never a finding.`,
  defaultSeverity: 'critical',
  run(ctx) {
    const findings: FindingDraft[] = [];
    const own = ownDomains(ctx.manifest);
    for (const file of ctx.code.js) {
      for (const object of file.objects) {
        if (!isMessage(object, file)) continue;
        for (const [key, value] of Object.entries(object.properties)) {
          if (!RECIPIENT_KEY.test(key) || value === null) continue;
          for (const email of (Array.isArray(value) ? value : [value]).flatMap((item) => emailsIn(item))) {
            const domain = baseDomain(email.split('@')[1] ?? '');
            if (RESERVED.test(domain)) continue; // example.com and friends deliver nowhere
            const foreign = !own.has(domain);
            const hidden = /^b?cc$/i.test(key);
            const severity = hidden ? (foreign ? 'critical' : 'medium') : foreign ? 'medium' : 'low';
            findings.push({
              severity,
              message: `Every message ${hidden ? `is secretly copied (${key})` : `goes (${key})`} to ${email}, a constant${foreign ? ' on a domain the package does not own' : ''}.`,
              location: at(file, object),
              evidence: excerpt(`${key}: '${email}'`),
              confidence: hidden && foreign ? 'high' : 'medium',
            });
          }
        }
      }
    }
    return findings;
  },
});
