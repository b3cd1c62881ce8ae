"""Pure reporting rules: IKM, sample adequacy, flags, summaries, distribution, periods."""
