/**
 * The function author's SDK: installing edgefn's SDK artifacts into a Maven local repository
 * ({@link io.edgefn.app.sdk.SdkInstaller}) and generating a function project from the project
 * template ({@link io.edgefn.app.sdk.ProjectTemplate}).
 */
package io.edgefn.app.sdk;
