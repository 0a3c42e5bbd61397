/** Connection profiles and token storage: what the wizard's Connection screen and `--profile NAME` use. */
export {
	DEFAULT_API_URL,
	ProfileSchema,
	SANDBOX_PROFILE_NAME,
	TOKEN_STORAGE_KINDS,
	describeIssues,
	describeTokenStorage,
	sameProfileName,
	tokenAccount,
	type Profile,
	type ProfileInput,
	type TokenStorage,
} from './profile.js';
export {ProfileError, ProfileStore, RECENT_FILES_LIMIT, type ProfileStoreOptions} from './store.js';
export {MemorySecretStore, SECRET_SERVICE_NAME, type SecretStore} from './secrets.js';
export {FileSecretStore, TOKEN_FILE_NAME} from './file-secrets.js';
export {KeychainSecretStore, type KeychainOptions, type KeyringModule} from './keychain.js';
