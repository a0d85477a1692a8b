"""Manager reports: metrics computed in SQL from conversation events, ratings and orders."""
