package dev.baton.core.api;

/**
 * A single-use challenge for proof of possession.
 *
 * @param gateway the name of the gateway that issued it, which the signature must name too
 * @param value   the challenge (256 random bits, base64url)
 */
public record Challenge(String gateway, String value) {
}
