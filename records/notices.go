package records

import "strings"

// Notice is a letter the agency mails, named by the number printed in its
// corner. A 971 transaction carries the number in its note.
type Notice struct {
	Number string
	Plain  string // what it is about and what it asks, in plain words
}

// notices are the ones taxpayers most often ask about.
var notices = map[string]Notice{
	"CP01A":  {"CP01A", "We mailed you this year's Identity Protection PIN. Use it on every return you file this calendar year."},
	"CP05":   {"CP05", "We are checking the income, withholding or credits on your return before we send your refund. You do not need to do anything unless the letter asks you to."},
	"CP05A":  {"CP05A", "We need documents that support what you claimed before we can send your refund. The letter lists them and gives a deadline."},
	"CP11":   {"CP11", "We corrected a mistake in the figures on your return, and you now owe tax. The letter shows the change and how to disagree."},
	"CP12":   {"CP12", "We corrected a mistake on your return, which changed your refund. The letter shows the new amount and how to disagree."},
	"CP14":   {"CP14", "A bill: you have an unpaid balance for this year. The letter shows the amount and the date to pay by."},
	"CP21A":  {"CP21A", "We changed your return as you asked, and you now owe tax. The letter shows the new balance."},
	"CP22A":  {"CP22A", "We changed your return as you asked, for example on an amended return, and you now owe tax. The letter shows the balance and the date to pay by."},
	"CP49":   {"CP49", "We used part or all of your refund to pay a tax balance you owed for another year. The letter shows how much went where."},
	"CP53":   {"CP53", "Your bank could not accept the direct deposit of your refund, so we are mailing a paper check instead."},
	"CP501":  {"CP501", "A reminder that you still have a balance due for this year."},
	"CP503":  {"CP503", "A second reminder of an unpaid balance. Pay it or call to set up a plan to avoid stronger collection steps."},
	"CP504":  {"CP504", "Notice of intent to levy: the balance is still unpaid and we may take part of a future refund or other payments. Act on it right away."},
	"CP2000": {"CP2000", "The income on your return does not match what employers, banks or others reported. The letter proposes a change and asks you to agree or explain by a date."},
	"5071C":  {"5071C", "We need you to confirm your identity before we finish processing your return. The letter says how to do it online or by phone."},
	"4883C":  {"4883C", "We need you to confirm your identity by phone before we finish processing your return. Have the letter and your return at hand when you call."},
	"5747C":  {"5747C", "We need you to confirm your identity in person at a taxpayer assistance center before we finish processing your return."},
}

// LookupNotice finds a notice by the number a 971 note carries ("CP05",
// "cp 05" and "Notice CP05" all match).
func LookupNotice(note string) (Notice, bool) {
	s := strings.ToUpper(strings.TrimSpace(note))
	s = strings.TrimPrefix(s, "NOTICE ")
	s = strings.TrimPrefix(s, "LETTER ")
	s = strings.ReplaceAll(s, " ", "")
	n, ok := notices[s]
	return n, ok
}

// toDo says what a taxpayer should do about each notice.
var toDo = map[string]string{
	"CP01A":  "Keep the letter somewhere safe and give the IP PIN only to whoever prepares your return. You can also see it online on your IP PIN page.",
	"CP05":   "Wait for the review to finish; most end within 60 days of the letter. Reply only if the letter asks you to.",
	"CP05A":  "Send the documents the letter lists by its deadline, with the letter's response form. Keep copies.",
	"CP11":   "Check the change against your return. If you agree, pay by the date shown; if not, contact us within 60 days as the letter says.",
	"CP12":   "Check the new refund amount against your return. If you disagree, contact us within 60 days as the letter says.",
	"CP14":   "Pay the balance by the date on the letter, or set up a payment plan, to stop more interest and penalty.",
	"CP21A":  "Pay the new balance by the date on the letter, or set up a payment plan.",
	"CP22A":  "Pay the new balance by the date on the letter, or set up a payment plan.",
	"CP49":   "Nothing to do unless you disagree with the other year's balance; the letter says how to ask about it.",
	"CP53":   "Make sure your mailing address is current so the check reaches you.",
	"CP501":  "Pay the balance or set up a payment plan to avoid further notices.",
	"CP503":  "Pay the balance or call to set up a payment plan now.",
	"CP504":  "Pay the balance or call the number on the letter at once to set up a plan and stop the levy.",
	"CP2000": "Compare the income listed with your records, then return the response form by the date on the letter, agreeing or explaining why not.",
	"5071C":  "Confirm your identity online or by phone as the letter explains. Your return waits until you do.",
	"4883C":  "Call the number on the letter with the letter and your return at hand.",
	"5747C":  "Book a visit to a taxpayer assistance center and bring the documents the letter lists.",
}

// NoticeToDo is what to do about a notice, by its number.
func NoticeToDo(number string) string {
	if s, ok := toDo[number]; ok {
		return s
	}
	return "Read the letter: its first page says whether you need to reply, and by when."
}
