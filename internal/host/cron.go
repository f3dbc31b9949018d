package host

// Cron is cron and at: allow and deny files, crontabs, the programs jobs run.
type Cron struct{}

// cron reads cron and at.
func (b *builder) cron() {}
