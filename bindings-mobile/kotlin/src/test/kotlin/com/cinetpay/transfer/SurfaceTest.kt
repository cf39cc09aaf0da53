package com.cinetpay.transfer

import java.io.File
import java.lang.reflect.Modifier
import java.util.concurrent.TimeUnit
import org.json.JSONArray
import org.json.JSONObject
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/**
 * The library's public names against the core's (ADR 6: one vocabulary, camelCase in Kotlin).
 *
 * The core's surface (records and their fields, enums and their variants, client methods, client
 * options) comes from the
 * core's own source, read by the workspace tool `cinetpay-surface` (tools/surface); the generated
 * classes are read by Java reflection (their properties' backing fields, their methods). A field,
 * method or option added to the core and not exposed here fails with its name. A name Kotlin
 * deliberately spells or shapes otherwise is in [SURFACE_EXCEPTIONS] with its reason; a stale
 * exception fails too.
 */
class SurfaceTest {
    companion object {
        private const val PACKAGE = "com.cinetpay.transfer"
        private const val HINT = "expose it or list it in SURFACE_EXCEPTIONS (SurfaceTest.kt) with a reason"

        /**
         * "kind core_name" to (where it is exposed instead, as "Class.member" or "Class" names
         * separated by spaces, or null when it is not; why).
         */
        val SURFACE_EXCEPTIONS: Map<String, Pair<String?, String>> = mapOf(
            "enum Credentials" to Pair("Client.withCredentials TokenProvider", "the constructor chooses: Client(config, provider) or Client.withCredentials"),
            "record Config" to Pair("ClientConfig", "the builder's options as one record (checked below)"),
            "record StoredToken" to Pair(null, "the Rust TokenStore trait's value; an app holds its token in memory"),
            "record IssuedToken" to Pair(null, "apps receive tokens (TokenProvider), they do not issue them"),
            "method config" to Pair(null, "Rust-only: the settings are the ClientConfig given to the constructor"),
            "method reconnected" to Pair(null, "Rust-only: for a process that forked; apps do not fork a client"),
            "method issue_token" to Pair(null, "apps receive tokens (TokenProvider), they do not issue them"),
            "method issue_token_after" to Pair(null, "apps receive tokens (TokenProvider), they do not issue them"),
            "method send_observed" to Pair(null, "Rust-only: a per-item progress callback for the CLI"),
            "method pay_observed" to Pair(null, "Rust-only: a per-item progress callback for the CLI"),
            "option credentials" to Pair("Client.withCredentials", "Client.withCredentials(config, apiKey, password)"),
            "option token_provider" to Pair("TokenProvider", "the constructor's argument: Client(config, provider)"),
            "option token_store" to Pair(null, "a shared store is a backend's; an app holds its token in memory"),
            "option token_store_url" to Pair(null, "a shared store is a backend's; an app holds its token in memory"),
            "option config" to Pair(null, "Rust-only: a whole Config; ClientConfig takes its options one by one"),
        )

        private fun camel(name: String) = name.replace(Regex("_([a-z0-9])")) { it.groupValues[1].uppercase() }

        /** The repository holding the core: ../.. of this Maven project, or given by the scenarios' path. */
        private fun repoRoot(): File {
            val candidates = listOfNotNull(
                System.getProperty("cinetpay.scenarios.dir")?.let { File(it, "../../..") },
                File(System.getProperty("user.dir"), "../.."),
            ).map { it.canonicalFile }
            return candidates.firstOrNull { File(it, "tools/surface/Cargo.toml").isFile }
                ?: throw AssertionError("no repository with tools/surface found (tried $candidates)")
        }

        /** The core's surface, from `cargo run -p cinetpay-surface` at the repository's root. */
        val core: JSONObject by lazy {
            val root = repoRoot()
            val process = ProcessBuilder("cargo", "run", "-q", "-p", "cinetpay-surface")
                .directory(root)
                .redirectError(ProcessBuilder.Redirect.PIPE)
                .start()
            val out = process.inputStream.bufferedReader().readText()
            val err = process.errorStream.bufferedReader().readText()
            check(process.waitFor(10, TimeUnit.MINUTES)) { "cargo run -p cinetpay-surface did not end" }
            if (process.exitValue() != 0) {
                throw AssertionError("`cargo run -p cinetpay-surface` failed in $root:\n$err")
            }
            JSONObject(out).also {
                // An empty or truncated surface would pass every check below: refuse it.
                assertTrue(it.getJSONObject("records").length() >= 10, "too few records: $it")
                assertTrue(it.getJSONArray("client_methods").length() >= 6, "too few methods: $it")
                assertTrue(it.getJSONArray("client_options").length() >= 8, "too few options: $it")
            }
        }

        private fun generated(name: String): Class<*>? =
            try { Class.forName("$PACKAGE.$name") } catch (_: ClassNotFoundException) { null }

        /** A record's properties: the backing fields of a data class (not its static ones). */
        private fun properties(cls: Class<*>): Set<String> =
            cls.declaredFields.filter { !Modifier.isStatic(it.modifiers) }.map { it.name }.toSet()

        /** Whether "Class" or "Class.member" exists: a property, a method, or a companion's method. */
        private fun exists(qualified: String): Boolean {
            val cls = generated(qualified.substringBefore('.')) ?: return false
            val member = qualified.substringAfter('.', "")
            if (member.isEmpty()) return true
            val companion = cls.declaredClasses.firstOrNull { it.simpleName == "Companion" }
            return member in properties(cls) || cls.declaredMethods.any { it.name == member } ||
                companion?.declaredMethods?.any { it.name == member } == true
        }

        /** Checks one core name (`key` is "kind name"): in its camelCase spelling, or as its exception says. */
        private fun exposed(
            key: String,
            present: (String) -> Boolean,
            problems: MutableList<String>,
            missing: (String) -> String,
        ) {
            val name = camel(key.substringAfter(' ').substringAfterLast('.'))
            val exception = SURFACE_EXCEPTIONS[key]
            if (exception == null) {
                if (!present(name)) problems += "${missing(name)}; $HINT"
                return
            }
            if (present(name)) problems += "$key is exposed under its own name now: remove its SURFACE_EXCEPTIONS entry"
            exception.first?.split(' ')?.forEach { other ->
                if (!exists(other)) {
                    problems += "SURFACE_EXCEPTIONS says $key is exposed as `$other` (${exception.second}), " +
                        "but $PACKAGE.$other does not exist"
                }
            }
        }

        /** An enum's variants in the core's CamelCase: an enum class's constants, or a sealed class's subclasses. */
        private fun variants(cls: Class<*>): Set<String> =
            cls.enumConstants?.map { c ->
                (c as Enum<*>).name.lowercase().split('_').joinToString("") { it.replaceFirstChar(Char::uppercase) }
            }?.toSet() ?: cls.declaredClasses.map { it.simpleName }.toSet()

        private fun objects(array: JSONArray): List<JSONObject> = (0 until array.length()).map { array.getJSONObject(it) }
    }

    @Test
    fun `the surface exceptions name what the core has`() {
        val records = core.getJSONObject("records")
        val names = mapOf(
            "record" to records.keySet(),
            "enum" to core.getJSONObject("enums").keySet(),
            "field" to records.keySet().flatMap { r -> records.getJSONArray(r).map { "$r.$it" } }.toSet(),
            "method" to objects(core.getJSONArray("client_methods")).map { it.getString("name") }.toSet(),
            "option" to objects(core.getJSONArray("client_options")).map { it.getString("name") }.toSet(),
        )
        val stale = SURFACE_EXCEPTIONS.keys.filter { names[it.substringBefore(' ')]?.contains(it.substringAfter(' ')) != true }
        assertEquals(emptyList<String>(), stale, "SURFACE_EXCEPTIONS names what the core no longer has")
    }

    @Test
    fun `every core record and field is a data class property of the same name`() {
        val records = core.getJSONObject("records")
        val problems = mutableListOf<String>()
        for (record in records.keySet().sorted()) {
            exposed("record $record", { generated(it) != null }, problems) { "core record $record has no class $PACKAGE.$it" }
            val cls = generated(record) ?: continue
            val own = properties(cls)
            for (field in records.getJSONArray(record).map { it as String }) {
                exposed("field $record.$field", { it in own }, problems) {
                    "core record $record has field `$field` but $PACKAGE.$record has no property $it"
                }
            }
        }
        assertTrue(problems.isEmpty(), problems.joinToString("\n"))
    }

    @Test
    fun `every core enum variant is a constant or a subclass of the same name, every error kind an exception`() {
        val enums = core.getJSONObject("enums")
        assertTrue(enums.getJSONArray("ErrorKind").length() >= 10, "too few error kinds: $enums")
        val problems = mutableListOf<String>()
        for (enum in enums.keySet().sorted()) {
            exposed("enum $enum", { generated(it) != null }, problems) { "core enum $enum has no class $PACKAGE.$it" }
            val cls = generated(enum) ?: continue
            val own = variants(cls)
            for (variant in enums.getJSONArray(enum).map { it as String }) {
                if (variant !in own) problems += "core enum $enum has variant `$variant` but $PACKAGE.$enum has none of that name ($own); $HINT"
            }
        }
        // What a `catch` names: a new core kind must be a subclass too (the `kinds!` list of errors.rs).
        val exceptions = CinetPayException::class.java.declaredClasses.map { it.simpleName }.toSet()
        for (kind in enums.getJSONArray("ErrorKind").map { it as String }) {
            if (kind !in exceptions) problems += "core ErrorKind.$kind has no subclass CinetPayException.$kind: add it to kinds! in errors.rs"
        }
        assertTrue(problems.isEmpty(), problems.joinToString("\n"))
    }

    @Test
    fun `every core client method is a method of Client`() {
        val methods = Client::class.java.declaredMethods.map { it.name }.toSet()
        val problems = mutableListOf<String>()
        for (method in objects(core.getJSONArray("client_methods"))) {
            val name = method.getString("name")
            exposed("method $name", { it in methods }, problems) {
                "core Client has method `$name` but $PACKAGE.Client has no method $it"
            }
        }
        assertTrue(problems.isEmpty(), problems.joinToString("\n"))
    }

    @Test
    fun `every core client option is a property of ClientConfig`() {
        val options = properties(ClientConfig::class.java)
        val problems = mutableListOf<String>()
        for (option in objects(core.getJSONArray("client_options"))) {
            val name = option.getString("name")
            exposed("option $name", { it in options }, problems) {
                "core ClientBuilder has option `$name` but $PACKAGE.ClientConfig has no property $it"
            }
        }
        assertTrue(problems.isEmpty(), problems.joinToString("\n"))
    }
}
