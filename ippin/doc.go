// Package ippin runs the Identity Protection PIN program: who is enrolled,
// each year's six-digit PIN, the yearly rollover that issues them, and the
// check that e-filed returns pass through.
//
// The rules, as DOMAIN.md gives them and as decided here:
//
//   - A PIN belongs to one taxpayer and one calendar year (UTC), and every
//     return filed in that year must carry it, whatever tax year the return
//     is for. A return needs a PIN exactly when one was issued to its filer
//     for the year the return is filed in.
//   - Enrolling (Enrol) issues this year's PIN at once; the rollover issues
//     next year's to everyone still enrolled. Once a year's rollover has
//     begun, enrolling issues that year's PIN too, so nobody who enrols in
//     late December falls between the two.
//   - People the agency assigned a PIN after identity theft (Assign) may
//     not opt out, and get each year's PIN by letter (the CP01A notice),
//     whether or not they have an online account. MailCurrent mails the
//     current PIN again, for an agent helping someone who lost it.
//   - Opting out (OptOut) takes effect in the first year for which no PIN
//     has been issued yet: a PIN already issued stays valid and required
//     for returns filed in its year, since it may already be in the hands
//     of the taxpayer's preparer; no later one is issued. Opting back in
//     cancels a pending opt-out, or starts again with a new PIN.
//   - A PIN sent for someone who has none for the year is ignored, not
//     rejected: there is no reject code for it, and accepting tells a
//     guesser no more than the missing-PIN reject already would.
//   - Wrong PINs are counted per SSN (under a keyed hash, never the
//     number). Once Settings.Guessing is reached, checks for that SSN are
//     refused with the Locked outcome, even with the right PIN, and the
//     taxpayer is flagged for agents.
//
// No SSN or PIN is logged or stored in the clear: PINs are sealed with the
// vault, bound to their row, and printed values mask themselves.
package ippin
