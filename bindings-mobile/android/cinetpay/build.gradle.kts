// com.cinetpay:cinetpay-transfer-android: the Kotlin that uniffi-bindgen generates from the
// library, and the library built by cargo-ndk for arm64-v8a, armeabi-v7a, x86_64 and x86 (profile
// release-mobile: opt-level z, fat LTO, stripped). `./gradlew :cinetpay:assembleRelease` runs both
// steps first (tasks cargoNdk and uniffiKotlin below); README.md has the one-time setup.
import org.gradle.api.tasks.Exec

plugins {
    id("com.android.library")
    id("org.jetbrains.kotlin.android")
    id("maven-publish")
}

val repoRoot = rootProject.projectDir.resolve("../..").canonicalFile
val jniLibsDir = layout.buildDirectory.dir("rust/jniLibs")
val generatedKotlinDir = layout.buildDirectory.dir("generated/uniffi/kotlin")

android {
    namespace = "com.cinetpay.transfer"
    compileSdk = 35
    ndkVersion = "27.2.12479018"

    defaultConfig {
        minSdk = 24
        consumerProguardFiles("consumer-rules.pro")
    }
    sourceSets["main"].jniLibs.srcDir(jniLibsDir)
    sourceSets["main"].kotlin.srcDir(generatedKotlinDir)
    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
    kotlinOptions {
        jvmTarget = "17"
    }
    publishing {
        singleVariant("release") { withSourcesJar() }
    }
}

dependencies {
    // uniffi's Kotlin loads the library through JNA; the AAR of JNA carries its own libjnidispatch.so.
    implementation("net.java.dev.jna:jna:5.19.1@aar")
    implementation("org.jetbrains.kotlinx:kotlinx-coroutines-android:1.11.0")
}

// libcinetpay_mobile.so for the four ABIs, into build/rust/jniLibs/<abi>/.
val cargoNdk by tasks.registering(Exec::class) {
    workingDir = repoRoot
    commandLine(
        "cargo", "ndk",
        "-t", "arm64-v8a", "-t", "armeabi-v7a", "-t", "x86_64", "-t", "x86",
        "--platform", "24",
        "-o", jniLibsDir.get().asFile.path,
        // Only the cdylib: built with the crate's other types (plain `build`) it came out ~30% bigger.
        "rustc", "--locked", "-p", "cinetpay-transfer-mobile", "--profile", "release-mobile",
        "--lib", "--crate-type", "cdylib",
    )
}

// The Kotlin bindings, generated from the host build of the same crate (uniffi reads the
// metadata from an unstripped library: the debug one).
val uniffiKotlin by tasks.registering(Exec::class) {
    workingDir = repoRoot
    val out = generatedKotlinDir.get().asFile.path
    commandLine(
        "sh", "-c",
        "cargo build --locked -p cinetpay-transfer-mobile && cargo build --locked -p cinetpay-uniffi-bindgen && " +
            "target/debug/uniffi-bindgen generate target/debug/libcinetpay_mobile.so --language kotlin --no-format -o '$out'",
    )
}

tasks.named("preBuild") { dependsOn(cargoNdk, uniffiKotlin) }

publishing {
    publications {
        register<MavenPublication>("release") {
            groupId = "com.cinetpay"
            artifactId = "cinetpay-transfer-android"
            version = "0.1.0"
            afterEvaluate { from(components["release"]) }
            pom {
                name.set("cinetpay-transfer-android")
                url.set("https://github.com/cinetpay-transfer/cinetpay-transfer-sdk")
                licenses {
                    license { name.set("MIT"); url.set("https://opensource.org/licenses/MIT") }
                    license { name.set("Apache-2.0"); url.set("https://www.apache.org/licenses/LICENSE-2.0") }
                }
            }
        }
    }
}
