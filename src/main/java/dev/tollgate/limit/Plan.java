package dev.tollgate.limit;

/** A named set of limits keys are held to (free, starter, pro, enterprise, or an admin's own). */
public record Plan(long id, String name, Limits limits) {}
