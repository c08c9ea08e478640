"""The course's eight interview questions (topic ``interview``), one module per question.

Q1 cross-entropy = entropy + KL; Q2 forward vs reverse KL of a bimodal target; Q3
perplexity from an NLL and of a uniform model; Q4 weight decay as a Gaussian prior and a
tiny ridge MAP; Q5 importance weights and PPO's clipped objective; Q6 the Beta-Binomial
update; Q7 mutual information and independence; Q8 Fisher information, the Cramér-Rao
bound and a natural-gradient step. Conceptual questions become numbers to compute, and
the misconceptions are the classic confusions, computed with core. Each module is a
plugin declared with :mod:`grader.authoring`.
"""
