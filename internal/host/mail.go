package host

// Mail is the mail set-up: sendmail, postfix, exim, aliases, .forward files.
type Mail struct{}

// mail reads the mail set-up.
func (b *builder) mail() {}
