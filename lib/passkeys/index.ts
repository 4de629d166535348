// Passkeys (WebAuthn, through @simplewebauthn/server): registering, naming and removing them,
// signing in with one alone, and proving a second factor with one.
export { authenticationOptions, provePasskey } from "./authenticate-passkey";
export { listPasskeys, removePasskey, renamePasskey, type PasskeyView } from "./manage-passkeys";
export { MAX_PASSKEYS, registerPasskey, registrationOptions } from "./register-passkey";
