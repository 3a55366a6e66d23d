package dev.baton.admin;

/** A signed-in operator: the name from the operators file and the role it grants. */
public record Operator(String name, OperatorRole role) {
}
