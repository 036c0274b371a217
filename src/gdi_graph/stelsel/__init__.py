"""The stelselplaat: the stelsel as a networkx graph, the architect's questions, the drawing."""
