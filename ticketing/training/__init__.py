"""The training inbox: what the bot misunderstood, grouped, labelled by managers, exported."""
