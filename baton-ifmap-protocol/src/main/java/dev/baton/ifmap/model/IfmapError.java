package dev.baton.ifmap.model;

/** The {@code errorCode} values of an IF-MAP 2.0 {@code errorResult}. */
public enum IfmapError {
    AccessDenied, Failure, InvalidIdentifier, InvalidIdentifierType, IdentifierTooLong, InvalidMetadata,
    InvalidSchemaVersion, InvalidSessionID, MetadataTooLong, NotAuthorized, PollResultsTooBig,
    SearchResultsTooBig, SystemError
}
