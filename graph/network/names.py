"""The names of the projections and metrics, importable without loading NetworkX, pandas or igraph
(the command line builds its help from them)."""

PROJECTIONS = ("collaboration", "actors", "participation", "membership", "country", "city-network", "case-method")

METRICS = ("summary", "degree", "betweenness", "eigenvector", "closeness", "clustering", "core", "components",
           "communities", "constraint", "effective-size", "brokerage", "bridges", "articulation",
           "assortativity", "resilience", "temporal", "diffusion", "reach")
